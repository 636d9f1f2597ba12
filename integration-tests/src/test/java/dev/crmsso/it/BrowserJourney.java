package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.crmsso.testsupport.Chromium;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.MydbrForger;
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestApp;
import dev.crmsso.testsupport.TestApp;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.KnownContact;

/**
 * One person's walk in Chromium on the {@code crm} realm: the login page, "Continue with Google / Microsoft"
 * (the OIDC stand-in answers with the claims given), the password form, the app or the refusal page, myDBR. Every
 * page is written to {@code target/screenshots/journey-*.png}.
 */
final class BrowserJourney implements AutoCloseable {

    static final String REALM = "crm";

    final ChromeDriver browser;

    BrowserJourney(String language) {
        browser = Chromium.start(1280, 900, language);
    }

    /** Opens a page (an app's sign-in that sends the browser to Keycloak) and takes its screenshot. */
    void open(String url, String screenshot) {
        browser.get(url);
        shot(screenshot);
    }

    /** The OIDC stand-in's next login as this IdP answers with these claims (the crm realm's client ids). */
    static void nextIdpLogin(TestStack stack, String idp, Map<String, Object> claims) {
        StandInIdps.nextLogin(stack.oidc(), idp, idp, "sub-" + claims.get("email"), "demo-" + idp, claims);
    }

    /** On Keycloak's login page: "Continue with ..." of the IdP. */
    void continueWith(String idp) {
        browser.findElement(By.id("social-" + idp)).click();
    }

    /** On Keycloak's login page: the username / password form. */
    void signIn(String username, String password) {
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
    }

    void assertAtTheApp(KeycloakServer keycloak, String screenshot) {
        // the click returns before the browser has followed Keycloak's redirects: wait for the app's page
        waitForUrl(url -> TestApp.receivedCode(keycloak, REALM, url), "the app", screenshot);
    }

    /** Waits until the browser is at a URL, then takes a screenshot; the URL. */
    String waitForUrl(java.util.function.Predicate<String> where, String what, String screenshot) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> where.test(b.getCurrentUrl()));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not at " + what + ": " + browser.getCurrentUrl(), e);
        }
        shot(screenshot);
        return browser.getCurrentUrl();
    }

    String refusal(String screenshot) {
        String text = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("crm-sso-refusal-message"))).getText();
        shot(screenshot);
        return text;
    }

    void shot(String name) {
        Chromium.screenshot(browser, LoginThemeIT.SCREENSHOTS.resolve("journey-" + name + ".png"));
    }

    /**
     * myDBR sends the signed-in browser to Keycloak with a fresh token; returns the parameters
     * of the signed redirect back, after checking its hash as myDBR does.
     */
    Map<String, String> openMydbr(TestStack stack, String screenshot) throws Exception {
        RealmResource crm = stack.keycloak().admin().realm(REALM);
        String secret = crm.clients().get(crm.clients().findByClientId("mydbr").get(0).getId()).getSecret().getValue();
        String reports = stack.mydbr().url() + "/index.php";
        String token = UUID.randomUUID().toString().replace("-", "");
        browser.get(stack.keycloak().realmUrl(REALM) + "/protocol/mydbr/login?url="
                + URLEncoder.encode(reports, StandardCharsets.UTF_8) + "&token=" + token
                + "&hash=" + MydbrProtocolIT.sha1(reports, token, secret));
        String landed = browser.getCurrentUrl();
        assertTrue(landed.startsWith(reports + "?"), "straight back to myDBR, no prompt: " + landed);
        shot(screenshot);
        Map<String, String> q = MydbrProtocolIT.queryOf(landed);
        assertTrue(MydbrProtocolIT.responseVerifies(q, token, secret), "myDBR verifies the hash: " + q);
        // the attacker takes this very answer: no re-split of it verifies and gains anything
        assertEquals(List.of(), new MydbrForger(token, secret, 0, false).forge(q, attackTargets(crm)),
                "nothing to forge in " + q);
        return q;
    }

    /**
     * A CRM customer's way to myDBR: the app's sign-in, the portal password (checked by the CRM), the app, then myDBR
     * with the contact's name, email, Keycloak id and its account and CRM groups as group paths.
     */
    void customerToMydbr(TestStack stack, KnownContact contact, String screenshots) throws Exception {
        open(TestApp.loginUrl(stack.keycloak(), REALM), screenshots + "-1-login");
        signIn(contact.email(), contact.password());
        assertAtTheApp(stack.keycloak(), screenshots + "-2-signed-in");
        Map<String, String> q = openMydbr(stack, screenshots + "-3-mydbr");
        assertEquals(contact.email(), q.get("email"));
        assertEquals(contact.firstName() + " " + contact.lastName(), q.get("name"));
        List<String> groups = new java.util.ArrayList<>();
        if (!contact.account().isEmpty()) {
            groups.add("/crm/accounts/" + contact.account());
        }
        contact.groups().stream().sorted().forEach(g -> groups.add("/crm/groups/" + g));
        assertEquals(groups, java.util.Arrays.stream(q.get("groups").split("\\|")).sorted().toList(),
                "the contact's account and CRM groups");
        UserRepresentation user = stack.keycloak().admin().realm(REALM).users().searchByEmail(contact.email(), true).get(0);
        assertEquals(mydbrLogin(user.getId()), q.get("user"));
    }

    /**
     * What a re-split answer could aim at in the shipped realm: every user's login as the mydbr client sends it (a
     * fixed-form id), their usernames, myDBR's local admin, and every group the client's two group mappers can send
     * (full paths under /crm and /staff).
     */
    private static MydbrForger.Targets attackTargets(RealmResource crm) {
        Set<String> identities = new HashSet<>(Set.of("admin"));
        for (UserRepresentation u : crm.users().list(0, 1000)) {
            identities.add(u.getUsername());
            identities.add(mydbrLogin(u.getId()));
        }
        Set<String> groups = new HashSet<>();
        collectSendable(crm, crm.groups().groups(null, 0, 1000, false), groups);
        return new MydbrForger.Targets(identities, groups);
    }

    /** The paths of the groups strictly below /crm/accounts, /crm/groups and /staff: what the shipped mappers send. */
    private static void collectSendable(RealmResource crm, List<GroupRepresentation> level, Set<String> into) {
        for (GroupRepresentation g : level) {
            String path = g.getPath();
            if (path.startsWith("/crm/accounts/") || path.startsWith("/crm/groups/") || path.startsWith("/staff/")) {
                into.add(path.toLowerCase(Locale.ROOT));
            }
            collectSendable(crm, crm.groups().group(g.getId()).getSubGroups(0, 1000, false), into);
        }
    }

    /** myDBR's login for a Keycloak user id (the client's mydbr.user = id): the id, or a name-based UUID of it. */
    static String mydbrLogin(String keycloakId) {
        return keycloakId.matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}") ? keycloakId
                : UUID.nameUUIDFromBytes(keycloakId.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** An IdP's claims for a person with this email (and any further claims, name then value). */
    static Map<String, Object> person(String email, Object... more) {
        Map<String, Object> claims = new HashMap<>(Map.of("email", email, "email_verified", true,
                "given_name", "Staff", "family_name", "Member"));
        for (int i = 0; i < more.length; i += 2) {
            claims.put((String) more[i], more[i + 1]);
        }
        return claims;
    }

    @Override
    public void close() {
        browser.quit();
    }
}

package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.crmsso.testsupport.Chromium;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestApp;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.SampleCrm;

/**
 * The journeys a person walks on the {@code crm} realm as imported from {@code realm-export/}
 * (not rebuilt in code), in Chromium, with the OIDC stand-in as Google and Microsoft, the CRM
 * stand-in behind the contacts federation, and the myDBR stand-in page where myDBR redirects
 * land. Every page a person sees is written to {@code target/screenshots/journey-*.png}.
 */
@ExtendWith(CrmSsoExtension.class)
class CrmRealmJourneysIT {

    static final String REALM = "crm";
    static final String ACME = TestStack.ACME_DOMAIN;

    private BrowserJourney journey;

    @AfterEach
    void closeBrowserAndForgetUnusedLogins(TestStack stack) {
        closeBrowser();
        StandInIdps.forgetUnused(stack.oidc());
    }

    void closeBrowser() {
        if (journey != null) {
            journey.close();
            journey = null;
        }
    }

    private void openLogin(KeycloakServer keycloak, String language, String screenshot) {
        journey = new BrowserJourney(language);
        journey.open(TestApp.loginUrl(keycloak, REALM), screenshot);
    }

    private void continueWith(TestStack stack, String idp, Map<String, Object> claims, String language, String screenshot) {
        BrowserJourney.nextIdpLogin(stack, idp, claims);
        openLogin(stack.keycloak(), language, screenshot);
        journey.continueWith(idp);
    }

    private void signInWithPassword(KeycloakServer keycloak, String username, String password, String screenshot) {
        openLogin(keycloak, "en", screenshot);
        journey.signIn(username, password);
    }

    private void assertAtTheApp(KeycloakServer keycloak, String screenshot) {
        journey.assertAtTheApp(keycloak, screenshot);
    }

    private String refusal(String screenshot) {
        return journey.refusal(screenshot);
    }

    private void shot(String name) {
        journey.shot(name);
    }

    private Map<String, String> openMydbr(TestStack stack, String screenshot) throws Exception {
        return journey.openMydbr(stack, screenshot);
    }

    static String mydbrLogin(String keycloakId) {
        return BrowserJourney.mydbrLogin(keycloakId);
    }

    private static Map<String, Object> person(String email, Object... more) {
        return BrowserJourney.person(email, more);
    }

    /** 1. Staff: Google with an allowed hd, an account with the domain group; then myDBR without a prompt. */
    @Test
    void staffSignInWithGoogleThenOpenMydbrWithTheirGroups(TestStack stack) throws Exception {
        continueWith(stack, TestStack.GOOGLE, person("rita@" + ACME, "hd", ACME), "en", "staff-1-login");
        assertAtTheApp(stack.keycloak(), "staff-2-signed-in");
        RealmResource crm = stack.keycloak().admin().realm(REALM);
        UserRepresentation rita = crm.users().searchByEmail("rita@" + ACME, true).get(0);
        assertTrue(crm.users().get(rita.getId()).groups().stream().anyMatch(g -> g.getPath().equals("/staff/acme")));

        Map<String, String> q = openMydbr(stack, "staff-3-mydbr");
        assertEquals(rita.getId(), q.get("user"), "a fixed-form id, which no other login can be cut out of");
        assertEquals("rita@" + ACME, q.get("email"));
        assertEquals("/staff/acme", q.get("groups"), "the domain rule's group, by path");
        assertEquals("0", q.get("admin"));
    }

    /** 2. Customer: a CRM contact with the portal password; myDBR gets the account and the CRM groups as groups. */
    @Test
    void crmCustomerSignsInWithThePortalPasswordAndMydbrGetsTheAccount(TestStack stack) throws Exception {
        signInWithPassword(stack.keycloak(), SampleCrm.ALICE_EMAIL, SampleCrm.ALICE_PASSWORD, "customer-1-login");
        assertAtTheApp(stack.keycloak(), "customer-2-signed-in");

        Map<String, String> q = openMydbr(stack, "customer-3-mydbr");
        assertEquals(SampleCrm.ALICE_EMAIL, q.get("email"));
        assertEquals("Alice Martin", q.get("name"));
        assertEquals(List.of("/crm/accounts/Acme Corp", "/crm/groups/Sales", "/crm/groups/Support"),
                Arrays.stream(q.get("groups").split("\\|")).sorted().toList(), "the contact's account and CRM groups");
        assertFalse(q.containsKey("extra1"), "no extras: with any, a digit anywhere could become admin=1");
        assertEquals("+34 91 555 8001", q.get("telephone"));

        RealmResource crm = stack.keycloak().admin().realm(REALM);
        UserRepresentation alice = crm.users().searchByEmail(SampleCrm.ALICE_EMAIL, true).get(0);
        assertEquals(mydbrLogin(alice.getId()), q.get("user"), "a fixed-form id for the contact too");
        assertEquals(List.of("/crm/accounts/Acme Corp", "/crm/groups/Sales", "/crm/groups/Support"), crm.users().get(alice.getId()).groups()
                .stream().map(GroupRepresentation::getPath).sorted().toList(), "group sync kept the contact's groups");
    }

    /** 3. Outsider: a token without an allowed domain is refused in the browser's language, no account. */
    @Test
    void anOutsiderSeesTheRefusalInTheirLanguageAndGetsNoAccount(TestStack stack) {
        continueWith(stack, TestStack.GOOGLE, person("mallory@" + ACME), "es", "outsider-1-login-es");
        assertEquals("La cuenta mallory@" + ACME + " no pertenece a una organización autorizada para ingresar aquí.",
                refusal("outsider-2-refused-es"));
        closeBrowser();
        continueWith(stack, TestStack.GOOGLE, person("mallory@" + ACME), "en", "outsider-1-login-en");
        assertEquals("The account mallory@" + ACME + " is not part of an organisation allowed to sign in here.",
                refusal("outsider-2-refused-en"));
        assertEquals(List.of(), stack.keycloak().admin().realm(REALM).users().searchByEmail("mallory@" + ACME, true));
    }

    /** 4. Microsoft: the company's tenant in, the consumer tenant out. */
    @Test
    void microsoftAllowedTenantInConsumerTenantOut(TestStack stack) {
        continueWith(stack, TestStack.MICROSOFT, person("carla@" + ACME, "preferred_username", "carla@" + ACME,
                "tid", TestStack.ACME_TENANT), "en", "microsoft-1-login");
        assertAtTheApp(stack.keycloak(), "microsoft-2-signed-in");
        closeBrowser();
        continueWith(stack, TestStack.MICROSOFT, person("dora@" + ACME, "preferred_username", "dora@outlook.com",
                "tid", "9188040d-6c67-4c5b-b112-36a304b66dad"), "en", "microsoft-3-consumer-login");
        assertTrue(refusal("microsoft-4-consumer-refused").contains("dora@" + ACME));
        assertEquals(List.of(), stack.keycloak().admin().realm(REALM).users().searchByEmail("dora@" + ACME, true));
    }

    /**
     * 4b. The run command's demo page: every account it offers, clicked as a newcomer would, does what its label
     * says ("...: allowed" reaches the app, "...: refused" sees the refusal page and gets no account).
     */
    @Test
    void everyDemoAccountDoesWhatItsLabelSays(TestStack stack) {
        RealmResource crm = stack.keycloak().admin().realm(REALM);
        stack.demoPage(true);
        try {
            for (String idp : List.of(TestStack.GOOGLE, TestStack.MICROSOFT)) {
                By accounts = By.cssSelector("section[data-issuer='" + idp + "'] form");
                openLogin(stack.keycloak(), "en", "demo-" + idp + "-login");
                journey.browser.findElement(By.id("social-" + idp)).click();
                int count = new WebDriverWait(journey.browser, Duration.ofSeconds(15))
                        .until(ExpectedConditions.numberOfElementsToBeMoreThan(accounts, 0)).size();
                shot("demo-" + idp + "-accounts");
                closeBrowser();
                assertTrue(count >= 3, idp + ": the page offers its demo accounts");
                for (int i = 0; i < count; i++) {
                    openLogin(stack.keycloak(), "en", "demo-" + idp + "-login");
                    journey.browser.findElement(By.id("social-" + idp)).click();
                    var form = new WebDriverWait(journey.browser, Duration.ofSeconds(15))
                            .until(ExpectedConditions.numberOfElementsToBeMoreThan(accounts, i)).get(i);
                    String label = form.findElement(By.tagName("button")).getText().replace('\n', ' ');
                    String email = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                            form.findElement(By.name("claims")).getAttribute("value")).path("email").asText();
                    assertEquals(List.of(), crm.users().searchByEmail(email, true), "a newcomer: " + label);
                    form.findElement(By.tagName("button")).click();
                    if (label.endsWith(": allowed")) {
                        assertAtTheApp(stack.keycloak(), "demo-" + idp + "-" + i + "-allowed");
                        assertEquals(1, crm.users().searchByEmail(email, true).size(), label);
                    } else {
                        assertTrue(label.endsWith(": refused"), "each label says what happens: " + label);
                        String refusal = refusal("demo-" + idp + "-" + i + "-refused");
                        assertTrue(refusal.contains(email), label + " -> " + refusal);
                        assertEquals(List.of(), crm.users().searchByEmail(email, true), "no account for " + label);
                    }
                    closeBrowser();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        } finally {
            stack.demoPage(false);
        }
    }

    /** 5. Logging out from myDBR's side ends the session for the OIDC apps too. */
    @Test
    void loggingOutFromMydbrEndsTheSessionForTheOidcAppsToo(TestStack stack) {
        KeycloakServer keycloak = stack.keycloak();
        RealmResource crm = keycloak.admin().realm(REALM);
        UserRepresentation lou = new UserRepresentation();
        lou.setUsername("lou");
        lou.setEmail("lou@" + ACME);
        lou.setFirstName("Lou");
        lou.setLastName("Local");
        lou.setEnabled(true);
        lou.setEmailVerified(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("lou-secret-1");
        password.setTemporary(false);
        lou.setCredentials(List.of(password));
        crm.users().create(lou).close();

        signInWithPassword(keycloak, "lou", "lou-secret-1", "logout-1-login");
        assertAtTheApp(keycloak, "logout-2-signed-in");
        journey.browser.get(TestApp.loginUrl(keycloak, REALM));
        assertTrue(TestApp.receivedCode(keycloak, REALM, journey.browser.getCurrentUrl()), "single sign-on before the logout");

        String reports = stack.mydbr().url() + "/index.php";
        journey.browser.get(keycloak.realmUrl(REALM) + "/protocol/mydbr/logout?url=" + URLEncoder.encode(reports, StandardCharsets.UTF_8));
        // a plain GET could come from any site: Keycloak asks first
        new WebDriverWait(journey.browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("kc-logout")));
        shot("logout-3-confirm");
        journey.browser.findElement(By.id("kc-logout")).click();
        new WebDriverWait(journey.browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(reports));
        assertEquals(reports, journey.browser.getCurrentUrl(), "back at myDBR");
        shot("logout-4-back-at-mydbr");
        journey.browser.get(TestApp.loginUrl(keycloak, REALM));
        assertTrue(!journey.browser.findElements(By.id("kc-form-login")).isEmpty(), "the OIDC app's next login asks for credentials");
        shot("logout-5-login-again");
    }

    private static void localUser(RealmResource crm, String username, String first, String last, String password) {
        UserRepresentation u = new UserRepresentation();
        u.setUsername(username);
        u.setEmail(username.contains("@") ? username : username + "@" + ACME);
        u.setFirstName(first);
        u.setLastName(last);
        u.setEnabled(true);
        u.setEmailVerified(true);
        CredentialRepresentation c = new CredentialRepresentation();
        c.setType(CredentialRepresentation.PASSWORD);
        c.setValue(password);
        c.setTemporary(false);
        u.setCredentials(List.of(c));
        crm.users().create(u).close();
    }

    /**
     * 6. The answers most exposed to a re-split, on the realm as shipped: a contact whose telephone ends in 1, a user
     * whose first name is a group's name, a user whose username another username is a prefix of. Each is signed (the
     * shipped set-up refuses nobody) and the attacker finds nothing in it ({@link #openMydbr}).
     */
    @Test
    void theShippedRealmSignsTheAnswersMostExposedToAResplitAndNoneCanBeForged(TestStack stack) throws Exception {
        RealmResource crm = stack.keycloak().admin().realm(REALM);
        localUser(crm, "sales-first", "Sales", "Team", "sales-secret-1");
        localUser(crm, "ceo@" + ACME, "Chief", "Officer", "ceo-secret-1");
        localUser(crm, "ceo@" + ACME + ".au", "Chief", "Officer AU", "ceo-secret-2");
        // the CRM stand-in's contact 8011: +34 91 555 8011
        Map<String, String> exposed = new LinkedHashMap<>(Map.of("customer008@example.com", "customer-pw-8",
                "sales-first", "sales-secret-1", "ceo@" + ACME + ".au", "ceo-secret-2"));
        for (Map.Entry<String, String> user : exposed.entrySet()) {
            signInWithPassword(stack.keycloak(), user.getKey(), user.getValue(), "exposed-1-login");
            assertAtTheApp(stack.keycloak(), "exposed-2-signed-in");
            Map<String, String> q = openMydbr(stack, "exposed-3-mydbr");
            if (user.getKey().startsWith("customer008")) {
                assertTrue(q.get("telephone").endsWith("1"), q.toString());
            }
            closeBrowser();
        }
    }
}

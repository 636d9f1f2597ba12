package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.crmsso.testsupport.Chromium;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.HttpLogin;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestApp;
import dev.crmsso.testsupport.TestStack;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The journeys a person walks on the {@code crm} realm as imported from {@code realm-export/}
 * (not rebuilt in code), with the OIDC stand-in as Google and Microsoft.
 */
@ExtendWith(CrmSsoExtension.class)
class CrmRealmJourneysIT {

    static final String REALM = "crm";
    static final String ACME = TestStack.ACME_DOMAIN;

    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void continueWith(KeycloakServer keycloak, MockOAuth2Server oidc, String idp, Map<String, Object> claims,
            String language) {
        // the realm's IdPs use the client ids the run command gives them (TestStack.standInIdpEnv)
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(idp, "sub-" + claims.get("email"), "JWT",
                List.of("demo-" + idp), claims, 3600));
        browser = Chromium.start(1280, 900, language);
        browser.get(TestApp.loginUrl(keycloak, REALM));
        browser.findElement(By.id("social-" + idp)).click();
    }

    private String refusal() {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("crm-sso-refusal-message"))).getText();
    }

    private static Map<String, Object> person(String email, Object... more) {
        Map<String, Object> claims = new HashMap<>(Map.of("email", email, "email_verified", true,
                "given_name", "Staff", "family_name", "Member"));
        for (int i = 0; i < more.length; i += 2) {
            claims.put((String) more[i], more[i + 1]);
        }
        return claims;
    }

    @Test
    void staffSignInWithGoogleGetsAnAccountAndTheDomainGroup(KeycloakServer keycloak, MockOAuth2Server oidc) {
        continueWith(keycloak, oidc, TestStack.GOOGLE, person("sam@" + ACME, "hd", ACME), "en");
        assertTrue(TestApp.receivedCode(keycloak, REALM, browser.getCurrentUrl()), browser.getCurrentUrl());
        RealmResource crm = keycloak.admin().realm(REALM);
        UserRepresentation sam = crm.users().searchByEmail("sam@" + ACME, true).get(0);
        assertTrue(crm.users().get(sam.getId()).groups().stream().anyMatch(g -> g.getPath().equals("/staff/acme")));
    }

    @Test
    void staffThenOpenMydbrWithoutASecondPromptAndTheirGroups(KeycloakServer keycloak, MockOAuth2Server oidc) throws Exception {
        HttpLogin browser = new HttpLogin();
        String app = TestApp.redirectUri(keycloak, REALM);
        HttpLogin.Page login = browser.get(TestApp.loginUrl(keycloak, REALM), app);
        Matcher google = Pattern.compile("href=\"([^\"]*/broker/google/login[^\"]*)\"").matcher(login.body());
        assertTrue(google.find(), "Continue with Google");
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(TestStack.GOOGLE, "sub-rita", "JWT", List.of("demo-google"),
                person("rita@" + ACME, "hd", ACME), 3600));
        HttpLogin.Page signedIn = browser.get(keycloak.baseUrl() + google.group(1).replace("&amp;", "&"), app);
        assertTrue(signedIn.param("code") != null, "signed in: " + signedIn.url());

        // myDBR sends the (still signed-in) browser to Keycloak with a fresh token
        RealmResource crm = keycloak.admin().realm(REALM);
        String secret = crm.clients().get(crm.clients().findByClientId("mydbr").get(0).getId()).getSecret().getValue();
        String reports = "http://localhost/mydbr/index.php";
        String token = java.util.UUID.randomUUID().toString().replace("-", "");
        HttpLogin.Page back = browser.get(keycloak.realmUrl(REALM) + "/protocol/mydbr/login?url="
                + java.net.URLEncoder.encode(reports, java.nio.charset.StandardCharsets.UTF_8) + "&token=" + token
                + "&hash=" + MydbrProtocolIT.sha1(reports, token, secret), reports);
        assertTrue(back.url().startsWith(reports + "?"), "straight back to myDBR, no prompt: " + back.url());
        Map<String, String> q = MydbrProtocolIT.queryOf(back.url());
        assertTrue(MydbrProtocolIT.responseVerifies(q, token, secret), "myDBR verifies the hash: " + q);
        assertEquals("rita@" + ACME, q.get("email"));
        assertEquals("acme", q.get("groups"), "the domain rule's group");
        assertEquals("0", q.get("admin"));
    }

    @Test
    void loggingOutFromMydbrEndsTheSessionForTheOidcAppsToo(KeycloakServer keycloak) {
        RealmResource crm = keycloak.admin().realm(REALM);
        UserRepresentation admin = new UserRepresentation();
        admin.setUsername("lou");
        admin.setEmail("lou@" + ACME);
        admin.setFirstName("Lou");
        admin.setLastName("Local");
        admin.setEnabled(true);
        admin.setEmailVerified(true);
        org.keycloak.representations.idm.CredentialRepresentation password = new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue("lou-secret-1");
        password.setTemporary(false);
        admin.setCredentials(List.of(password));
        crm.users().create(admin).close();

        HttpLogin browser = new HttpLogin();
        String app = TestApp.redirectUri(keycloak, REALM);
        HttpLogin.Page signedIn = browser.submitLogin(browser.get(TestApp.loginUrl(keycloak, REALM), app), "lou",
                "lou-secret-1", app);
        assertTrue(signedIn.param("code") != null, "signed in to the OIDC app");
        assertTrue(browser.get(TestApp.loginUrl(keycloak, REALM), app).param("code") != null, "single sign-on before");

        String reports = "http://localhost/mydbr/index.php";
        HttpLogin.Page loggedOut = browser.get(keycloak.realmUrl(REALM) + "/protocol/mydbr/logout?url="
                + java.net.URLEncoder.encode(reports, java.nio.charset.StandardCharsets.UTF_8), reports);
        assertEquals(reports, loggedOut.url(), "back at myDBR");
        HttpLogin.Page again = browser.get(TestApp.loginUrl(keycloak, REALM), app);
        assertTrue(again.body().contains("kc-form-login"), "the OIDC app's next login asks for credentials");
    }

    @Test
    void anOutsiderSeesTheRefusalInTheirLanguageAndGetsNoAccount(KeycloakServer keycloak, MockOAuth2Server oidc) {
        continueWith(keycloak, oidc, TestStack.GOOGLE, person("mallory@" + ACME), "es");
        assertEquals("La cuenta mallory@" + ACME + " no pertenece a una organización autorizada para ingresar aquí.",
                refusal());
        Chromium.screenshot(browser, LoginThemeIT.SCREENSHOTS.resolve("journey-outsider-es.png"));
        closeBrowser();
        continueWith(keycloak, oidc, TestStack.GOOGLE, person("mallory@" + ACME), "en");
        assertEquals("The account mallory@" + ACME + " is not part of an organisation allowed to sign in here.", refusal());
        assertEquals(List.of(), keycloak.admin().realm(REALM).users().searchByEmail("mallory@" + ACME, true));
    }

    @Test
    void microsoftAllowedTenantInConsumerTenantOut(KeycloakServer keycloak, MockOAuth2Server oidc) {
        continueWith(keycloak, oidc, TestStack.MICROSOFT, person("carla@" + ACME, "preferred_username", "carla@" + ACME,
                "tid", TestStack.ACME_TENANT), "en");
        assertTrue(TestApp.receivedCode(keycloak, REALM, browser.getCurrentUrl()), browser.getCurrentUrl());
        closeBrowser();
        continueWith(keycloak, oidc, TestStack.MICROSOFT, person("dora@" + ACME, "preferred_username", "dora@outlook.com",
                "tid", "9188040d-6c67-4c5b-b112-36a304b66dad"), "en");
        assertTrue(refusal().contains("dora@" + ACME));
        assertEquals(List.of(), keycloak.admin().realm(REALM).users().searchByEmail("dora@" + ACME, true));
    }
}

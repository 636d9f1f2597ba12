package dev.crmsso.it;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;

import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.ConnectProxy;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestTls;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.CrmStandIn.Fault;

/**
 * CRM contacts on a Keycloak of this test's own (a copy of the distribution with the bundle, {@code start-dev} with its
 * file database), for what needs Keycloak's start options or a restart:
 * <ul>
 * <li>transport: a CRM over HTTPS with a self-signed certificate that Keycloak trusts only through
 * {@code --truststore-paths}; the same CRM with a certificate Keycloak does not trust; a CRM whose host name only the
 * proxy of {@code --spi-connections-http-client--default--proxy-mappings} knows;</li>
 * <li>OTP for a contact: required by an admin, set up at the next login, asked at every login after, kept across a
 * restart in Keycloak's federated storage while the password stays the CRM's;</li>
 * <li>a refresh, after a restart, of a contact this node has not read since, while the CRM is down.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrmContactsNodeIT {

    static final String PROXIED_HOST = "crm.proxied.test";
    static final String CLIENT = CrmContactsContract.CLIENT;
    static final String SECRET = CrmContactsContract.SECRET;
    static final String REDIRECT = CrmContactsContract.REDIRECT;
    static final String MSG_UNAVAILABLE = CrmFederationIT.MSG_UNAVAILABLE;
    static final ObjectMapper JSON = new ObjectMapper();

    static Path work;
    static TestTls trusted;
    static TestTls untrusted;
    static ConnectProxy proxy;
    static CrmStandIn httpsCrm;
    static CrmStandIn proxiedCrm;
    static CrmStandIn plainCrm;
    static KeycloakServer keycloak;
    /** The TOTP time steps used so far: Keycloak refuses a code twice (the realm's OTP policy, not reusable). */
    static long lastStep;

    @BeforeAll
    static void keycloakOfItsOwn() {
        work = Path.of("target", "own-node").toAbsolutePath();
        trusted = TestTls.selfSigned(work.resolve("tls"), "crm-trusted", "localhost", PROXIED_HOST);
        untrusted = TestTls.selfSigned(work.resolve("tls"), "crm-untrusted", "localhost");
        proxy = ConnectProxy.start();
        httpsCrm = CrmStandIn.startHttps(trusted, "localhost");
        proxiedCrm = CrmStandIn.startHttps(trusted, PROXIED_HOST);
        plainCrm = CrmStandIn.start();
        Path home = KeycloakServer.copyDistribution(Path.of(System.getProperty("keycloak.home")), work.resolve("keycloak"));
        keycloak = KeycloakServer.start(new KeycloakServer.Options(home)
                .arg("--truststore-paths=" + trusted.certificate())
                .arg("--spi-connections-http-client--default--proxy-mappings=" + PROXIED_HOST.replace(".", "\\.")
                        + ";" + proxy.url()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {keycloak, httpsCrm, proxiedCrm, plainCrm, proxy}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    // transport

    /** The CRM's self-signed certificate is trusted only because Keycloak was started with --truststore-paths. */
    @Test
    @Order(1)
    void anHttpsCrmTrustedThroughTheTruststorePathsServesLogins() throws Exception {
        RealmResource realm = realmWithFederation("tls-trusted", httpsCrm.url());
        assertNotNull(login("tls-trusted", ALICE_EMAIL, ALICE_PASSWORD).code());
        assertTrue(realm.users().search(ALICE_EMAIL, true).size() == 1);
    }

    /**
     * The CRM's certificate is replaced by one Keycloak does not trust (a man in the middle, or a renewal nobody put
     * in the truststore): the contact gets the themed page and the event, nothing answers 5xx, no password is sent.
     */
    @Test
    @Order(2)
    void aCrmWithACertificateKeycloakDoesNotTrustIsUnavailableNotAServerError() throws Exception {
        CrmStandIn original = CrmStandIn.startHttps(trusted, "localhost");
        RealmResource realm = realmWithFederation("tls-untrusted", original.url());
        int port = original.port();
        original.close();
        try (CrmStandIn impostor = CrmStandIn.startHttps(untrusted, "localhost", port)) {
            // twice: the first may end on the pooled connection to the server before (closed), the second is a new
            // TLS handshake
            for (int attempt = 0; attempt < 2; attempt++) {
                CrmContactsContract.Login refused = login("tls-untrusted", CAROL_EMAIL, CAROL_PASSWORD);
                assertTrue(refused.status() < 500 && refused.text().contains(MSG_UNAVAILABLE), refused.toString());
            }
            assertTrue(CrmContactsContract.hasLoginError(realm, CAROL_EMAIL, "crm_unavailable"), "login error event");
            assertEquals(0, impostor.count("loginPortal"), "no password hash sent to it");
            assertEquals(0, impostor.requests().size(), "no request got through the TLS handshake");
        }
        assertTrue(keycloak.log().contains("CRM not reachable (SSLHandshakeException)"), "the cause in the log");
    }

    /** The CRM's host name is one only the proxy resolves: a login works only through the proxy mapping. */
    @Test
    @Order(3)
    void theCrmIsReachedThroughKeycloaksProxyMapping() throws Exception {
        int before = proxy.tunnels(PROXIED_HOST);
        realmWithFederation("proxied", proxiedCrm.url());
        assertNotNull(login("proxied", ALICE_EMAIL, ALICE_PASSWORD).code());
        assertTrue(proxy.tunnels(PROXIED_HOST) > before, "through the proxy (Keycloak keeps the tunnel in its pool)");
        assertTrue(proxiedCrm.count("loginPortal") >= 1);
    }

    // OTP and required actions

    /**
     * An admin requires OTP for a contact (the console's Save sends the whole user); the contact sets it up at the next
     * login after its CRM password; every login after asks for it, a wrong code is refused, and Keycloak keeps it in
     * its federated storage across a restart. Nothing the contact changes on the CRM's side (email, name, portal
     * password) takes it away. Required actions that would change what the CRM owns are refused.
     */
    @Test
    @Order(4)
    void aContactSetsUpOtpAtTheNextLoginAndKeepsItAcrossARestart() throws Exception {
        String realmName = "otp";
        RealmResource realm = realmWithFederation(realmName, plainCrm.url());
        String email = "customer041@example.com";
        String password = "customer-pw-41";
        String id = realm.users().search(email, true).get(0).getId();
        UserResource contact = realm.users().get(id);

        UserRepresentation page = contact.toRepresentation();
        page.setRequiredActions(List.of("CONFIGURE_TOTP"));
        contact.update(page);
        assertEquals(List.of("CONFIGURE_TOTP"), contact.toRepresentation().getRequiredActions());
        for (String crmOwned : List.of("UPDATE_PROFILE", "UPDATE_PASSWORD", "VERIFY_EMAIL")) {
            UserRepresentation refused = contact.toRepresentation();
            refused.setRequiredActions(List.of("CONFIGURE_TOTP", crmOwned));
            assertThrows(BadRequestException.class, () -> contact.update(refused), crmOwned);
        }

        String secret;
        try (WebClient browser = browser()) {
            HtmlPage setup = signIn(browser, realmName, email, password);
            assertNotNull(setup.getElementById("totpSecret"), "the OTP set-up page: " + setup.asNormalizedText());
            secret = setup.getElementById("totpSecret").getAttribute("value");
            setup.getHtmlElementById("totp").setAttribute("value", nextCode(secret));
            assertNotNull(code(submit(browser, setup, "saveTOTPBtn")), "OTP set up");
        }
        assertTrue(contact.credentials().stream().anyMatch(c -> "otp".equals(c.getType())), "an OTP credential");
        assertTrue(contact.toRepresentation().getRequiredActions().isEmpty());

        assertOtpAsked(realmName, email, password, secret);

        // the contact changes what it can in the CRM: its email, name and portal password
        plainCrm.updateContact(email, "firstname", "Renamed");
        String newEmail = "customer041.new@example.com";
        plainCrm.updateContact(email, "email", newEmail);
        plainCrm.portalPassword(newEmail, "new-portal-pw-41");
        // Keycloak's user cache (this realm: DEFAULT policy) still holds the old email: the login with the new one works
        assertOtpAsked(realmName, newEmail, "new-portal-pw-41", secret);

        keycloak = keycloak.restart();
        assertOtpAsked(realmName, newEmail, "new-portal-pw-41", secret);

        // the password stays the CRM's: no reset through Keycloak
        CredentialRepresentation reset = new CredentialRepresentation();
        reset.setType(CredentialRepresentation.PASSWORD);
        reset.setValue("keycloak-pw-1");
        reset.setTemporary(false);
        UserResource afterRestart = keycloak.admin().realm(realmName).users().get(id);
        assertThrows(BadRequestException.class, () -> afterRestart.resetPassword(reset));
        try (WebClient browser = browser()) {
            HtmlPage otp = signIn(browser, realmName, newEmail, "keycloak-pw-1");
            assertTrue(otp.asNormalizedText().contains("Invalid username or password"), otp.asNormalizedText());
        }
    }

    /** Password, then the OTP form: a wrong code refused, the right one let in. */
    static void assertOtpAsked(String realm, String email, String password, String secret) throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage otp = signIn(browser, realm, email, password);
            assertNotNull(otp.getElementById("otp"), "asked for the OTP: " + otp.asNormalizedText());
            String right = nextCode(secret);
            otp.getHtmlElementById("otp").setAttribute("value", right.equals("000000") ? "111111" : "000000");
            HtmlPage wrong = (HtmlPage) otp.getHtmlElementById("kc-login").click();
            assertTrue(wrong.asNormalizedText().contains("Invalid authenticator code"), wrong.asNormalizedText());
            wrong.getHtmlElementById("otp").setAttribute("value", right);
            assertNotNull(code(submit(browser, wrong, "kc-login")), "the right code lets the contact in");
        }
    }

    // refresh during an outage

    /**
     * A contact logged in, Keycloak restarted (so this node has not read the contact since), the CRM down: the refresh
     * is refused cleanly (400 invalid_grant, not the 500 it was), because nobody can vouch for the contact now: one taken
     * out of the CRM meanwhile must not go on refreshing. Keycloak ends that session (a user a look-up by id does not find
     * has no session), so once the CRM is back the contact signs in again, and can.
     */
    @Test
    @Order(5)
    void aRefreshOfAContactThisNodeHasNotReadDuringAnOutageIsRefusedCleanly() throws Exception {
        String realmName = "refresh";
        realmWithFederation(realmName, plainCrm.url());
        String email = "customer042@example.com";
        String refreshToken = refreshToken(realmName, login(realmName, email, "customer-pw-42").code());
        keycloak = keycloak.restart();
        plainCrm.fault(Fault.DOWN);
        HttpResponse<String> during;
        try {
            during = refresh(realmName, refreshToken);
        } finally {
            plainCrm.fault(Fault.NONE);
        }
        System.out.printf("Refresh of a contact not read since the restart, CRM down: %d %s%n", during.statusCode(),
                during.body());
        assertEquals(400, during.statusCode(), during.body());
        assertEquals("invalid_grant", JSON.readTree(during.body()).path("error").asText(), during.body());
        assertEquals(400, refresh(realmName, refreshToken).statusCode(), "that session ended");
        assertNotNull(login(realmName, email, "customer-pw-42").code(), "the contact signs in again once the CRM is back");
        assertTrue(keycloak.log().contains("not read since this node started and the CRM cannot answer"), "one log line");
    }

    // helpers

    static RealmResource realmWithFederation(String name, String crmUrl) {
        RealmResource realm = CrmContactsContract.createRealm(keycloak, name);
        ComponentRepresentation federation = CrmFederation.of("crm", realm.toRepresentation().getId(), crmUrl, API_USER,
                ACCESS_KEY, GROUP_FIELD, true);
        federation.getConfig().putSingle("connectTimeoutMillis", "1000");
        federation.getConfig().putSingle("readTimeoutMillis", "2000");
        try (Response created = realm.components().add(federation)) {
            assertEquals(201, created.getStatus(), created.readEntity(String.class));
        }
        return realm;
    }

    static CrmContactsContract.Login login(String realm, String username, String password) throws Exception {
        return CrmContactsContract.login(keycloak, realm, CLIENT, username, password);
    }

    static WebClient browser() {
        WebClient browser = new WebClient();
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        return browser;
    }

    /** The login form with the password: the page after it (the OTP form, the set-up page, an error). */
    static HtmlPage signIn(WebClient browser, String realm, String username, String password) throws Exception {
        HtmlPage form = browser.getPage(keycloak.realmUrl(realm) + "/protocol/openid-connect/auth?client_id=" + CLIENT
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
        form.getHtmlElementById("username").setAttribute("value", username);
        form.getHtmlElementById("password").setAttribute("value", password);
        return form.getHtmlElementById("kc-login").click();
    }

    /** Submits a form without following the redirect to the application: its Location. */
    static String submit(WebClient browser, HtmlPage page, String button) throws Exception {
        browser.getOptions().setRedirectEnabled(false);
        var response = page.getHtmlElementById(button).click().getWebResponse();
        browser.getOptions().setRedirectEnabled(true);
        assertEquals(302, response.getStatusCode(), response.getContentAsString());
        return response.getResponseHeaderValue("Location");
    }

    static String code(String location) {
        assertTrue(location != null && location.startsWith(REDIRECT), "redirected to the application: " + location);
        for (String p : URI.create(location).getQuery().split("&")) {
            if (p.startsWith("code=")) {
                return p.substring(5);
            }
        }
        return null;
    }

    /**
     * The TOTP (RFC 6238, Keycloak's default policy: HmacSHA1, 6 digits, 30 s, the secret's UTF-8 bytes as the key) of
     * a time step not used yet: the current one, or the next one (Keycloak accepts one step around), waiting for time
     * to move on when both are used.
     */
    static String nextCode(String secret) throws Exception {
        long step;
        while (true) {
            long now = System.currentTimeMillis() / 30_000;
            if (now > lastStep) {
                step = now;
                break;
            }
            if (now + 1 > lastStep) {
                step = now + 1;
                break;
            }
            Thread.sleep(200);
        }
        lastStep = step;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0xf;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    static String refreshToken(String realm, String code) throws Exception {
        HttpResponse<String> token = token(realm, "grant_type=authorization_code&code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
        assertEquals(200, token.statusCode(), token.body());
        return JSON.readTree(token.body()).path("refresh_token").asText();
    }

    static HttpResponse<String> refresh(String realm, String refreshToken) throws Exception {
        return token(realm, "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
    }

    static HttpResponse<String> token(String realm, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloak.realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&client_id=" + CLIENT + "&client_secret=" + SECRET)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

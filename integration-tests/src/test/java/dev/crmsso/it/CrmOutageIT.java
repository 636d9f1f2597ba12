package dev.crmsso.it;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.HttpLogin;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.CrmStandIn.Fault;

import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A CRM that is down, slow past the timeout, or answers HTTP 500, HTML or broken JSON, while an admin
 * lists users, a local user logs in and refreshes a token, a Google staff user logs in for the first
 * time and a contact logs in: nothing answers 5xx, only contacts are refused (with the themed page, at
 * once when the breaker is open), and everything recovers by itself when the CRM is back. The realm has
 * a CRM stand-in of its own, so the faults touch no other test.
 */
@ExtendWith(CrmSsoExtension.class)
class CrmOutageIT {

    static final String REALM = "crm-outage-it";
    static final String CLIENT = "outage-app";
    static final String SECRET = "outage-app-secret";
    static final String REDIRECT = CrmFederationIT.REDIRECT;
    static final String LOCAL_USER = "local-admin";
    static final String LOCAL_PASSWORD = "local-admin-pw";
    static final String MSG_UNAVAILABLE = CrmFederationIT.MSG_UNAVAILABLE;
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long the breaker stays open here: short, so that recovery is quick to see. */
    static final int OPEN_SECONDS = 2;

    static KeycloakServer keycloak;
    static MockOAuth2Server oidc;
    static CrmStandIn crm;
    static RealmResource realm;
    static final AtomicInteger staff = new AtomicInteger();
    static final AtomicInteger contacts = new AtomicInteger(30);

    @BeforeAll
    static void realm(TestStack stack) {
        keycloak = stack.keycloak();
        oidc = stack.oidc();
        crm = CrmStandIn.start();
        RealmRepresentation r = new RealmRepresentation();
        r.setRealm(REALM);
        r.setEnabled(true);
        r.setEventsEnabled(true);
        keycloak.admin().realms().create(r);
        realm = keycloak.admin().realm(REALM);

        realm.clients().create(CrmFederationIT.loginClient(CLIENT, SECRET)).close();

        UserRepresentation local = new UserRepresentation();
        local.setUsername(LOCAL_USER);
        local.setEmail("local-admin@acme.example");
        local.setFirstName("Local");
        local.setLastName("Admin");
        local.setEmailVerified(true);
        local.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType("password");
        password.setValue(LOCAL_PASSWORD);
        password.setTemporary(false);
        local.setCredentials(List.of(password));
        realm.users().create(local).close();

        StandInIdps.add(realm, oidc, TestStack.GOOGLE);

        ComponentRepresentation federation = CrmFederation.of("crm", realm.toRepresentation().getId(), crm, ACCESS_KEY, true);
        federation.getConfig().putSingle("connectTimeoutMillis", "500");
        federation.getConfig().putSingle("readTimeoutMillis", "700");
        federation.getConfig().putSingle("breakerOpenSeconds", String.valueOf(OPEN_SECONDS));
        federation.getConfig().putSingle("cachePolicy", "NO_CACHE");
        try (Response created = realm.components().add(federation)) {
            assertEquals(201, created.getStatus());
        }
    }

    @AfterAll
    static void stop() {
        if (crm != null) {
            crm.close();
        }
    }

    @AfterEach
    void healthy() {
        crm.fault(Fault.NONE);
    }

    @Test
    void everyKindOfCrmFailureStaysWithTheContacts() throws Exception {
        crm.slowness(Duration.ofSeconds(3));
        for (Fault fault : List.of(Fault.DOWN, Fault.SLOW, Fault.HTTP_500, Fault.HTML, Fault.BROKEN_JSON)) {
            // a contact logged in before the CRM fails: its token keeps refreshing
            String contactRefresh = refreshToken(code(nextContact()));
            crm.fault(fault);

            // an admin lists users: local users are there, no 5xx
            List<UserRepresentation> listed = realm.users().list(0, 20);
            assertTrue(listed.stream().anyMatch(u -> LOCAL_USER.equals(u.getUsername())), fault + ": local user listed");
            assertTrue(realm.users().search("local", 0, 20).stream().anyMatch(u -> LOCAL_USER.equals(u.getUsername())),
                    fault + ": local user found by the search box");
            assertTrue(realm.users().count() >= 1, fault + ": count");
            assertEquals(1, realm.users().search(LOCAL_USER, true).size(), fault + ": exact username");

            // a local user logs in and refreshes
            String refresh = refreshToken(code(CrmFederationIT.login(keycloak, REALM, CLIENT, LOCAL_USER, LOCAL_PASSWORD)));
            assertEquals(200, refresh(refresh).statusCode(), fault + ": local user's refresh");

            // a Google staff user's first login: Keycloak asks the federation for the email
            String email = "staff" + staff.incrementAndGet() + "@acme.example";
            HttpLogin.Page google = googleLogin(email);
            assertTrue(google.url().startsWith(REDIRECT) && google.param("code") != null,
                    fault + ": brokered first login went on: " + google.status() + " " + google.url() + "\n" + google.body());

            // the contact logged in before: its refresh is not a server error
            int contactStatus = refresh(contactRefresh).statusCode();
            assertTrue(contactStatus < 500, fault + ": contact's refresh answered " + contactStatus);

            // contacts are refused with the themed page; once the breaker is open, at once
            CrmFederationIT.Login refused = contactLogin();
            assertTrue(refused.status() < 500 && refused.text().contains(MSG_UNAVAILABLE), fault + ": " + refused);
            long start = System.nanoTime();
            refused = contactLogin();
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(refused.text().contains(MSG_UNAVAILABLE), fault + ": " + refused);
            assertTrue(millis < 1000, fault + ": refused in " + millis + " ms with the breaker open");

            crm.fault(Fault.NONE);
            awaitContactLogin(fault);
        }
        assertFalse(keycloak.log().contains(ACCESS_KEY), "no access key in the log");
    }

    /**
     * A contact whose first name the realm's user profile refuses ("Smith & Co": the default name validator
     * refuses '&'): the CRM owns it, so the login goes through without "Update account information".
     */
    @Test
    void aContactWhoseNameTheUserProfileRefusesStillLogsIn() throws Exception {
        for (String name : List.of("Smith & Co", "Ana (Ventas)")) {
            int n = nextContactNumber();
            crm.updateContact(String.format("customer%03d@example.com", n), "firstname", name);
            CrmFederationIT.Login login = contactLogin(n);
            assertEquals(302, login.status(), name + ": " + login.text());
            assertNotNull(login.code());
        }
    }

    /** Every criterion Keycloak passes is answered exactly, or with nobody: never ignored. */
    @Test
    void theAdminSearchAnswersEachCriterionExactlyOrWithNobody() throws Exception {
        for (String query : List.of("enabled=false", "emailVerified=false", "idpAlias=google", "q=crm_account:Nobody",
                "username=%22&exact=true", "username=*&exact=true")) {
            JsonNode users = adminGet("/users?max=300&" + query);
            for (JsonNode u : users) {
                assertTrue(u.path("federationLink").isMissingNode() || u.path("federationLink").isNull(),
                        query + " answered a contact: " + u.path("username").asText());
            }
        }
        assertTrue(adminGet("/users?max=300&enabled=true&emailVerified=true&search=Customer").size() >= 100,
                "what every contact has: answered");
        assertEquals(1, adminGet("/users?exact=true&username=customer007@example.com").size());
    }

    static JsonNode adminGet(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloak.baseUrl() + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + keycloak.admin().tokenManager().getAccessTokenString()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    // helpers

    /** A portal contact no other step of this test has used (the sample CRM's every 26th has no portal access). */
    static int nextContactNumber() {
        int n;
        do {
            n = contacts.incrementAndGet();
        } while (n % 26 == 0);
        if (n > PORTAL_CUSTOMERS) {
            throw new IllegalStateException("out of sample contacts");
        }
        return n;
    }

    static CrmFederationIT.Login contactLogin() throws Exception {
        return contactLogin(nextContactNumber());
    }

    static CrmFederationIT.Login contactLogin(int n) throws Exception {
        return CrmFederationIT.login(keycloak, REALM, CLIENT, String.format("customer%03d@example.com", n), "customer-pw-" + n);
    }

    static CrmFederationIT.Login nextContact() throws Exception {
        return contactLogin();
    }

    /** The CRM is back: a contact gets in again by itself, within a few open times. */
    static void awaitContactLogin(Fault fault) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(OPEN_SECONDS * 5L + 5).toNanos();
        int n = nextContactNumber();
        CrmFederationIT.Login last;
        do {
            last = contactLogin(n);
            if (last.status() == 302) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(fault + ": contacts did not get in again: " + last);
    }

    static HttpLogin.Page googleLogin(String email) {
        Map<String, Object> claims = new HashMap<>(Map.of("email", email, "email_verified", true,
                "given_name", "Staff", "family_name", "Member", "hd", TestStack.ACME_DOMAIN));
        StandInIdps.nextLogin(oidc, TestStack.GOOGLE, "sub-" + email, claims);
        return new HttpLogin().get(keycloak.realmUrl(REALM) + "/protocol/openid-connect/auth?client_id=" + CLIENT
                + "&response_type=code&scope=openid&kc_idp_hint=" + TestStack.GOOGLE
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8), REDIRECT);
    }

    static String code(CrmFederationIT.Login login) {
        return login.code();
    }

    static String refreshToken(String code) throws Exception {
        HttpResponse<String> token = token("grant_type=authorization_code&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
        assertEquals(200, token.statusCode(), token.body());
        JsonNode body = JSON.readTree(token.body());
        assertNotNull(body.path("refresh_token").asText(null));
        return body.path("refresh_token").asText();
    }

    static HttpResponse<String> refresh(String refreshToken) throws Exception {
        return token("grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
    }

    static HttpResponse<String> token(String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloak.realmUrl(REALM) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&client_id=" + CLIENT + "&client_secret=" + SECRET)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

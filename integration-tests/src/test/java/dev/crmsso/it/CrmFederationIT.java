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
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;

import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.CrmStandIn.Fault;
import dev.crmsso.testsupport.crm.VtqlQuery;

/** CRM contacts as users of a real Keycloak, against the CRM stand-in, configured through the admin REST API. */
@ExtendWith(CrmSsoExtension.class)
class CrmFederationIT {

    static final String REALM = "crm-federation-it";
    static final String CLIENT = "crm-app";
    static final String SECRET = "crm-app-secret";
    /** Nobody listens here: the browser stops at the redirect and the test reads the code. */
    static final String REDIRECT = "http://127.0.0.1:9/callback";
    static final String MSG_UNAVAILABLE = "The customer database cannot be reached right now";
    static final String MSG_LOCKED = "Your account is locked in the CRM";
    static final String MSG_INVALID = "Invalid username or password.";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestStack stack;
    static KeycloakServer keycloak;
    static CrmStandIn crm;
    static RealmResource realm;

    @BeforeAll
    static void federation(TestStack testStack) {
        stack = testStack;
        keycloak = stack.keycloak();
        crm = stack.crm();
        RealmRepresentation r = new RealmRepresentation();
        r.setRealm(REALM);
        r.setEnabled(true);
        r.setEventsEnabled(true);
        r.setAdminEventsEnabled(true);
        // Keycloak's brute force slows bursts of wrong passwords; the federation itself stops before
        // the CRM's own lock (CrmLockoutIT)
        r.setBruteForceProtected(true);
        r.setFailureFactor(3);
        r.setPermanentLockout(false);
        r.setMaxFailureWaitSeconds(900);
        r.setWaitIncrementSeconds(300);
        keycloak.admin().realms().create(r);
        realm = keycloak.admin().realm(REALM);

        ClientRepresentation client = loginClient(CLIENT, SECRET);
        client.setProtocolMappers(List.of(attributeClaim("crm_account", false), attributeClaim("sso_groups", true)));
        realm.clients().create(client).close();

        try (Response created = realm.components().add(federation("crm", ACCESS_KEY, true))) {
            assertEquals(201, created.getStatus(), "federation saved (test connection passed)");
        }
        assertTrue(keycloak.log().contains("test connection to " + crm.url() + " as admin succeeded"), "test connection log");
    }

    /** A confidential client with the browser flow that redirects to {@link #REDIRECT}, as {@link #login} needs. */
    static ClientRepresentation loginClient(String clientId, String secret) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setSecret(secret);
        client.setPublicClient(false);
        client.setStandardFlowEnabled(true);
        client.setRedirectUris(List.of(REDIRECT));
        return client;
    }

    static ComponentRepresentation federation(String name, String accessKey, boolean enabled) {
        ComponentRepresentation c = CrmFederation.of(name, realm.toRepresentation().getId(), crm, accessKey, enabled);
        c.getConfig().putSingle("extraFields", "title");
        c.getConfig().putSingle("readTimeoutMillis", "1500");
        return c;
    }

    static ProtocolMapperRepresentation attributeClaim(String attribute, boolean multivalued) {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName(attribute);
        m.setProtocol("openid-connect");
        m.setProtocolMapper("oidc-usermodel-attribute-mapper");
        m.setConfig(Map.of("user.attribute", attribute, "claim.name", attribute, "jsonType.label", "String",
                "multivalued", String.valueOf(multivalued), "id.token.claim", "true", "access.token.claim", "true",
                "userinfo.token.claim", "true"));
        return m;
    }

    // configuration: test connection, vault reference

    @Test
    void theAccessKeyCanComeFromTheVaultAndAWrongKeyFailsTheTestConnection() {
        stack.vaultSecret(REALM, "crm_access_key", ACCESS_KEY);
        String id;
        try (Response saved = realm.components().add(federation("crm-from-vault", "${vault.crm_access_key}", false))) {
            assertEquals(201, saved.getStatus(), "a disabled federation is saved without a connection test");
            id = CreatedResponseUtil.getCreatedId(saved);
        }
        try {
            ComponentRepresentation enabled = realm.components().component(id).toRepresentation();
            enabled.getConfig().putSingle("enabled", "true");
            enabled.getConfig().putSingle("priority", "99");
            realm.components().component(id).update(enabled);
            assertTrue(keycloak.log().contains("CRM contacts crm-from-vault: test connection to " + crm.url()
                    + " as admin succeeded"), "the vault's key logged the API user in");

            enabled.getConfig().putSingle("accessKey", "not-the-key");
            BadRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(BadRequestException.class,
                    () -> realm.components().component(id).update(enabled));
            String answer = refused.getResponse().readEntity(String.class);
            assertTrue(answer.contains("Test connection to the CRM failed"), answer);
            assertFalse(keycloak.log().contains("not-the-key"), "no access key in the log");
        } finally {
            realm.components().component(id).remove();
        }
    }

    /** A contact's password hash must not cross the network in clear text: http:// only to this machine. */
    @Test
    void plainHttpToAnotherHostIsRefusedWhenSaved() {
        ComponentRepresentation remote = federation("crm-plain-http", ACCESS_KEY, true);
        remote.getConfig().putSingle("crmUrl", "http://crm.example.com");
        try (Response refused = realm.components().add(remote)) {
            String answer = refused.readEntity(String.class);
            assertEquals(400, refused.getStatus(), answer);
            assertTrue(answer.contains("Plain http:// to crm.example.com is refused"), answer);
        }
    }

    // 1. login, claims, wrong password, no portal access

    @Test
    void portalContactLogsInAndCarriesAccountAndGroups() throws Exception {
        Login login = login(ALICE_EMAIL, ALICE_PASSWORD);
        JsonNode claims = idTokenClaims(login.code());
        assertEquals("Alice", claims.path("given_name").asText());
        assertEquals("Martin", claims.path("family_name").asText());
        assertEquals(ALICE_EMAIL, claims.path("email").asText());
        assertTrue(claims.path("email_verified").asBoolean());
        assertEquals("Acme Corp", claims.path("crm_account").asText());
        assertEquals(Set.of("Sales", "Support"), strings(claims.path("sso_groups")), "the group field; the account apart");
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Login login = login("customer001@example.com", "not-the-password");
        assertTrue(login.text().contains(MSG_INVALID), login.text());
        assertEquals(1, crm.failures("customer001@example.com"));
    }

    @Test
    void contactWithoutPortalAccessIsNotFound() throws Exception {
        crm.clearRequests();
        Login login = login(BOB_EMAIL, BOB_PASSWORD);
        assertTrue(login.text().contains(MSG_INVALID), login.text());
        assertEquals(0, crm.count("loginPortal"), "never asked to check a password of nobody");
        assertTrue(realm.users().search(BOB_EMAIL, true).isEmpty());
    }

    @Test
    void contactsAreReadOnlyInTheAdminConsole() {
        UserRepresentation carol = realm.users().search(CAROL_EMAIL, true).get(0);
        assertEquals("O'Brien", carol.getLastName());
        carol.setLastName("Changed");
        BadRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(BadRequestException.class,
                () -> realm.users().get(carol.getId()).update(carol));
        // the user profile declares the CRM's fields read-only for contacts (UserProfileDecorator): refused there
        String answer = refused.getResponse().readEntity(String.class);
        assertTrue(answer.contains("managed by the CRM") || answer.contains("error-user-attribute-read-only"), answer);
    }

    /** What the CRM does not own, Keycloak keeps: group sync and role grants work for contacts. */
    @Test
    void contactsHoldKeycloakGroupsAndRoles() {
        UserResource carol = realm.users().get(realm.users().search(CAROL_EMAIL, true).get(0).getId());
        GroupRepresentation reports = new GroupRepresentation();
        reports.setName("reports");
        String groupId;
        try (Response created = realm.groups().add(reports)) {
            groupId = CreatedResponseUtil.getCreatedId(created);
        }
        carol.joinGroup(groupId);
        realm.roles().create(new RoleRepresentation("report-admin", null, false));
        carol.roles().realmLevel().add(List.of(realm.roles().get("report-admin").toRepresentation()));

        assertEquals(List.of("reports"), carol.groups().stream().map(GroupRepresentation::getName).toList());
        assertEquals(List.of(CAROL_EMAIL), realm.groups().group(groupId).members().stream()
                .map(UserRepresentation::getUsername).toList());
        assertTrue(carol.roles().realmLevel().listEffective().stream().anyMatch(r -> r.getName().equals("report-admin")));

        carol.leaveGroup(groupId);
        assertTrue(carol.groups().isEmpty());
    }

    @Test
    void crmLockedContactGetsItsOwnMessage() throws Exception {
        String email = "customer002@example.com";
        crm.lock(email);
        Login login = login(email, "customer-pw-2");
        assertTrue(login.text().contains(MSG_LOCKED), login.text());
        assertTrue(hasLoginError(email, "crm_contact_locked"));
    }

    /**
     * A burst of wrong passwords: the realm's brute-force detection lets only a few through. (It only
     * slows an attacker who waits: CrmLockoutIT shows what stops one.)
     */
    @Test
    void bruteForceDetectionStopsBeforeTheCrmLocks() throws Exception {
        String email = "customer003@example.com";
        for (int i = 0; i < 6; i++) {
            login(email, "guess-" + i);
        }
        int seen = crm.failures(email);
        System.out.printf("Brute force: of 6 wrong passwords the CRM saw %d%n", seen);
        assertTrue(seen >= 1 && seen <= 3, "the CRM saw only the attempts Keycloak let through: " + seen);
    }

    /** The CRM's "nobody" is kept a short while (UnknownNames): the same unknown name again costs no query. */
    @Test
    void anUnknownUsernameIsAskedOfTheCrmOnceInAWhile() throws Exception {
        String nobody = "nobody-" + System.nanoTime() + "@example.com";
        crm.clearRequests();
        assertTrue(login(nobody, "guess-1").text().contains(MSG_INVALID));
        assertTrue(login(nobody, "guess-2").text().contains(MSG_INVALID));
        long asked = crm.requests().stream().filter(r -> "query".equals(r.operation())
                && String.valueOf(r.params().get("query")).contains(nobody)).count();
        assertEquals(1, asked, "one CRM query for two logins of one unknown name");
    }

    // 2. admin-console search, paging, count

    @Test
    void adminSearchFindsByPartOfTheNamePagesAndCounts() {
        assertEquals("Carol", realm.users().search("O'Bri", 0, 10).get(0).getFirstName());
        assertEquals(10, realm.users().search("ustomer01", 0, 50).size());
        Set<String> seen = new HashSet<>();
        for (int first = 0; first < 300; first += 100) {
            List<UserRepresentation> page = realm.users().search("Customer", first, 100);
            page.forEach(u -> seen.add(u.getUsername()));
        }
        assertEquals(PORTAL_CUSTOMERS, seen.size());
        assertEquals(PORTAL_CUSTOMERS, realm.users().count("Customer"));
        assertTrue(crm.requests().stream().filter(r -> r.query() != null)
                .allMatch(r -> r.query().limit <= 100), "never more than 100 rows asked");
    }

    // 3. CRM session expired between two logins

    @Test
    void expiredCrmSessionIsRenewedOnce() throws Exception {
        login("customer004@example.com", "customer-pw-4").code();
        crm.expireSessions();
        crm.clearRequests();
        assertNotNull(login("customer005@example.com", "customer-pw-5").code());
        assertEquals(1, crm.count("login"), "one new API session");
    }

    // 4. CRM down, slow, HTML, broken JSON

    @Test
    void unavailableCrmIsAClearRefusalAndRecovers() throws Exception {
        crm.slowness(Duration.ofSeconds(3));
        int n = 10;
        for (Fault fault : List.of(Fault.DOWN, Fault.SLOW, Fault.HTML, Fault.BROKEN_JSON)) {
            String email = String.format("customer%03d@example.com", ++n);
            crm.fault(fault);
            Login refused;
            try {
                refused = login(email, "customer-pw-" + n);
            } finally {
                crm.fault(Fault.NONE);
            }
            assertTrue(refused.text().contains(MSG_UNAVAILABLE), fault + ": " + refused.text());
            assertTrue(hasLoginError(email, null), fault + ": login error event");
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(keycloak.realmUrl(REALM) + "/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "Keycloak healthy");
            assertNotNull(login(email, "customer-pw-" + n).code(), fault + ": next login after recovery");
        }
        String log = keycloak.log();
        assertTrue(log.contains("CRM answered no JSON"), "the cause in the log");
        assertFalse(log.contains(ACCESS_KEY), "no access key in the log");
    }

    // 5. injection attempts as username

    @Test
    void injectionAttemptsFindNobodyAndStayData() throws Exception {
        for (String attempt : List.of("x' OR 1=1;--", "\\'", "%", "' OR ''='", "alice@example.com' OR '1'='1",
                "a\\' OR email LIKE '%")) {
            crm.clearRequests();
            Login login = login(attempt, "whatever");
            assertTrue(login.text().contains(MSG_INVALID), attempt + ": " + login.text());
            for (CrmStandIn.Request r : crm.requests()) {
                if (!"query".equals(r.operation())) {
                    continue;
                }
                VtqlQuery q = r.query();
                assertNotNull(q, attempt + ": the CRM parsed " + r.params().get("query"));
                for (VtqlQuery.Condition c : q.conditions) {
                    if (c.field().equals("portal")) {
                        assertEquals(List.of("1"), c.values());
                    } else {
                        assertEquals("=", c.op(), attempt);
                        assertTrue(c.values().get(0).equalsIgnoreCase(attempt), attempt + " became " + c);
                    }
                }
            }
            assertEquals(0, crm.count("loginPortal"));
        }
        assertTrue(realm.users().search("%", 0, 10).isEmpty());
    }

    // request counts on a login's critical path

    @Test
    void loginCriticalPathRequestCounts() throws Exception {
        String email = "customer020@example.com";
        // a contact of the same account (Acme Corp): API session and account name already known
        login("customer025@example.com", "customer-pw-25").code();
        crm.clearRequests();
        login(email, "customer-pw-20").code();
        long cold = criticalPathRequests();
        crm.clearRequests();
        login(email, "customer-pw-20").code();
        long warm = criticalPathRequests();
        System.out.printf("CRM requests on the login's critical path: cold %d, warm %d%n", cold, warm);
        // cold: lookup, challenge, portal login; warm: the portal login alone (Keycloak's later
        // lookups of the same user in the request are answered without the CRM)
        assertEquals(3, cold, "cold");
        assertEquals(1, warm, "warm");
        assertEquals(1, crm.count("loginPortal"), "warm: one portal login, its challenge token reused");
        assertEquals(0, crm.count("getchallenge"), "warm: challenge token reused");
    }

    /** Every request but the portal session's logout, which runs after the answer. */
    private static long criticalPathRequests() {
        List<CrmStandIn.Request> path = crm.requests().stream().filter(r -> !"logout".equals(r.operation())).toList();
        System.out.println("CRM requests: " + path.stream().map(r -> r.operation()
                + (r.query() == null ? "" : " " + r.query().module + r.query().conditions)).toList());
        return path.size();
    }

    // browser and token helpers

    record Login(int status, String location, String text) {
        String code() {
            assertEquals(302, status, "redirected to the application: " + text);
            String query = URI.create(location).getQuery();
            for (String p : query.split("&")) {
                if (p.startsWith("code=")) {
                    return p.substring(5);
                }
            }
            throw new AssertionError("no code in " + location);
        }
    }

    static Login login(String username, String password) throws Exception {
        return login(keycloak, REALM, CLIENT, username, password);
    }

    /** The login form of a realm's confidential client that redirects to {@link #REDIRECT}: its answer. */
    static Login login(KeycloakServer keycloak, String realm, String client, String username, String password)
            throws Exception {
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setJavaScriptEnabled(false);
            browser.getOptions().setCssEnabled(false);
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            HtmlPage form = browser.getPage(keycloak.realmUrl(realm) + "/protocol/openid-connect/auth?client_id=" + client
                    + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
            form.getHtmlElementById("username").setAttribute("value", username);
            form.getHtmlElementById("password").setAttribute("value", password);
            browser.getOptions().setRedirectEnabled(false);
            Page result;
            try {
                result = form.getHtmlElementById("kc-login").click();
            } catch (FailingHttpStatusCodeException e) {
                return new Login(e.getStatusCode(), null, e.getResponse().getContentAsString());
            }
            var response = result.getWebResponse();
            String text = result instanceof HtmlPage page ? page.asNormalizedText() : response.getContentAsString();
            return new Login(response.getStatusCode(), response.getResponseHeaderValue("Location"), text);
        }
    }

    static JsonNode idTokenClaims(String code) throws Exception {
        String form = "grant_type=authorization_code&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&client_id=" + CLIENT + "&client_secret=" + SECRET;
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloak.realmUrl(REALM) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        String idToken = JSON.readTree(token.body()).path("id_token").asText();
        return JSON.readTree(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]));
    }

    static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** A LOGIN_ERROR event for this username, with this detail if given. */
    static boolean hasLoginError(String username, String detail) {
        List<EventRepresentation> events = realm.getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 200);
        return events.stream().anyMatch(e -> e.getDetails() != null
                && username.equalsIgnoreCase(e.getDetails().get("username"))
                && (detail == null || detail.equals(e.getDetails().get("authentication_error_detail"))));
    }
}

package dev.crmsso.it;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.CrmStandIn.Fault;
import dev.crmsso.testsupport.crm.VtqlQuery;

/**
 * CRM contacts as users of a real Keycloak, against the CRM stand-in, configured through the admin REST API: the
 * {@link CrmContactsContract} (which {@link CoreBosFederationIT} runs on the real coreBOS), and what only the
 * stand-in can show: a CRM that is down, slow or garbled, an expired API session, a locked contact, the requests
 * each login and search sends.
 */
@ExtendWith(CrmSsoExtension.class)
class CrmFederationIT extends CrmContactsContract {

    static final String REALM = "crm-federation-it";
    static final String MSG_UNAVAILABLE = "The customer database cannot be reached right now";
    static final String MSG_LOCKED = "Your account is locked in the CRM";

    static KeycloakServer keycloak;
    static CrmStandIn crm;
    static RealmResource realm;

    CrmFederationIT() {
        super(REALM);
    }

    @BeforeAll
    static void realmWithFederation() {
        keycloak = stack.keycloak();
        crm = stack.crm();
        realm = createRealm(keycloak, REALM);
        save(keycloak, realm, federation(realm, "crm", crm.url(), API_USER, ACCESS_KEY, GROUP_FIELD, true));
    }

    // the contract's CRM: the stand-in and its sample contacts

    @Override
    CrmUnderTest underTest() {
        return new CrmUnderTest(crm.url(), API_USER, ACCESS_KEY, GROUP_FIELD, ALICE, CAROL, ERIN, BOB, "Customer",
                PORTAL_CUSTOMERS, crm::contactNo, crm::failures, "corebos");
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

    // 1. what the stand-in shows of logins

    @Test
    void contactWithoutPortalAccessIsNotFound() throws Exception {
        crm.clearRequests();
        Login login = login(BOB_EMAIL, BOB_PASSWORD);
        assertTrue(login.text().contains(MSG_INVALID), login.text());
        assertEquals(0, crm.count("loginPortal"), "never asked to check a password of nobody");
        assertTrue(realm.users().search(BOB_EMAIL, true).isEmpty());
    }

    /**
     * A contact without portal access found by its contact number (portal contacts only off): as the real coreBOS
     * does (its corebos README, 2), the challenge already fails, so no portal login is sent.
     */
    @Test
    void theChallengeOfAContactWithoutPortalAccessFailsAndNoPortalLoginIsSent() throws Exception {
        lookupsByEmailAndByContactNumber();
        crm.clearRequests();
        Login refused = login(keycloak, REALM + "-contact-no", CLIENT, crm.contactNo(BOB_EMAIL), BOB_PASSWORD);
        assertTrue(refused.text().contains(MSG_NO_PORTAL), refused.text());
        assertEquals(1, crm.count("getchallenge"));
        assertEquals(0, crm.count("loginPortal"));
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

    // 2. admin-console search: what it asks the CRM

    /**
     * Every query of a search asks at most 100 rows and has no parentheses: the real coreBOS reads a WHERE with
     * parentheses through a second parser that ends a literal at a doubled quote (its corebos README, 1).
     */
    @Test
    void searchQueriesAskAtMostAHundredRowsAndHaveNoParentheses() {
        crm.clearRequests();
        theSearchPagesPastAHundredAndCounts();
        realm.users().search("O'B", 0, 10);
        List<CrmStandIn.Request> queries = crm.requests().stream().filter(r -> "query".equals(r.operation())).toList();
        assertFalse(queries.isEmpty());
        for (CrmStandIn.Request r : queries) {
            String vtql = r.params().get("query");
            assertNotNull(r.query(), vtql);
            assertTrue(r.query().limit <= 100, "at most 100 rows: " + vtql);
            assertFalse(vtql.replaceAll("'([^']|'')*'", "''").replaceAll("(?i) IN \\([^)]*\\)", "")
                    .replaceAll("(?i)count\\(\\*\\)", "").contains("("), "no parentheses: " + vtql);
        }
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

    /**
     * vtiger's portal API failing after a lookup that worked (a PHP fatal's HTTP 500 with an empty body, an HTML
     * page, broken JSON; the stand-in plays vtiger 8.2's portal API): the contact is told the customer database
     * cannot be reached (event detail crm_unavailable), never that the password is wrong, and the next login works.
     */
    @Test
    void aFailingVtigerPortalApiIsAnUnavailableCrmNotAWrongPassword() throws Exception {
        String vtigerRealm = REALM + "-vtiger";
        if (keycloak.admin().realms().findAll().stream().noneMatch(r -> r.getRealm().equals(vtigerRealm))) {
            RealmResource r = createRealm(keycloak, vtigerRealm);
            ComponentRepresentation f = federation(r, "crm", crm.url(), API_USER, ACCESS_KEY, GROUP_FIELD, true);
            f.getConfig().putSingle("flavour", "vtiger");
            save(keycloak, r, f);
        }
        RealmResource vtiger = keycloak.admin().realm(vtigerRealm);
        int n = 30;
        for (Fault fault : List.of(Fault.HTTP_500, Fault.HTML, Fault.BROKEN_JSON)) {
            String email = String.format("customer%03d@example.com", ++n);
            crm.clearRequests();
            crm.portalApiFault(fault);
            Login refused;
            try {
                refused = login(keycloak, vtigerRealm, CLIENT, email, "customer-pw-" + n);
            } finally {
                crm.portalApiFault(Fault.NONE);
            }
            assertEquals(1, crm.count("portal:FetchProfile"), fault + ": the password went to the portal API");
            assertTrue(refused.text().contains(MSG_UNAVAILABLE), fault + ": " + refused.text());
            assertTrue(hasLoginError(vtiger, email, "crm_unavailable"), fault + ": event");
            assertNotNull(login(keycloak, vtigerRealm, CLIENT, email, "customer-pw-" + n).code(), fault + ": next login");
        }
        assertTrue(keycloak.log().contains("CRM contacts crm: portal login failed at " + crm.url()), "one log line");
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
        assertEquals(List.of("Per%cent"), realm.users().search("%", 0, 10).stream().map(UserRepresentation::getLastName)
                .toList(), "a % in the search box is a character, not a wildcard");
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

    // browser and token helpers (the realm's)

    static Login login(String username, String password) throws Exception {
        return login(keycloak, REALM, CLIENT, username, password);
    }

    /** A LOGIN_ERROR event for this username, with this detail if given. */
    static boolean hasLoginError(String username, String detail) {
        return hasLoginError(realm, username, detail);
    }
}

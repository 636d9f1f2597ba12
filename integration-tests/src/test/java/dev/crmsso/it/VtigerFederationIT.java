package dev.crmsso.it;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.VtigerServer;
import dev.crmsso.testsupport.crm.CrmSeed;
import dev.crmsso.testsupport.crm.VtigerSeed;

/**
 * The {@link CrmContactsContract} against the real vtiger 8.2 of {@code ../shared/vtiger} (started by the
 * {@link TestStack} when first asked), federation flavour {@code vtiger}: lookups and search through
 * {@code webservice.php}, passwords through the customer-portal API ({@code FetchProfile}). Its seeded contacts
 * (Alice, Dan O'Brien, Carol whose support ended, Bob without portal access) and what the test run adds through its
 * web service: the group field, the contacts whose names carry {@code %}, {@code _}, a backslash, 120 contacts to
 * page through. And what only vtiger shows: portal user names that are not unique, no failed-attempt lock of its own
 * (Keycloak's brute-force detection must stop a guesser), the parameters it reads from the URL only (its web server's
 * access log), the CRM requests a login costs.
 */
@ExtendWith(CrmSsoExtension.class)
class VtigerFederationIT extends CrmContactsContract {

    static final String REALM = "vtiger-federation-it";
    /** A contact of the test run's own, with a known portal password: the brute-force test locks it in Keycloak. */
    static final String GUESSED = "guessed@example.com";
    static final String GUESSED_PASSWORD = "Guessed#Pass1";
    /** Another, of Acme Corp, never logged in before the request count. */
    static final String MEASURED = "measured@example.com";
    static final String MEASURED_PASSWORD = "Measured#Pass1";
    static final String PORTAL_API = "/modules/CustomerPortal/api.php";

    static VtigerServer vtiger;

    VtigerFederationIT() {
        super(REALM);
    }

    @BeforeAll
    static void realmWithFederation() {
        vtiger = stack.vtiger();
        CrmSeed.groups(vtiger);
        String acme = vtiger.webService().query("SELECT id FROM Accounts WHERE accountname='" + CrmSeed.ACME + "';")
                .get(0).path("id").asText();
        List<Map<String, Object>> contacts = CrmSeed.contractContacts();
        contacts.add(CrmSeed.contact("Guessed", "Contact", GUESSED));
        Map<String, Object> measured = CrmSeed.contact("Measured", "Contact", MEASURED);
        measured.put("account_id", acme);
        contacts.add(measured);
        VtigerSeed.contacts(vtiger, contacts);
        VtigerSeed.portalPassword(vtiger, GUESSED, GUESSED_PASSWORD);
        VtigerSeed.portalPassword(vtiger, MEASURED, MEASURED_PASSWORD);
        RealmResource realm = createRealm(stack.keycloak(), REALM);
        ComponentRepresentation federation = federation(realm, "crm", vtiger.url(), vtiger.apiUser(), vtiger.accessKey(),
                CrmSeed.GROUP_FIELD, true);
        federation.getConfig().putSingle("flavour", "vtiger");
        save(stack.keycloak(), realm, federation);
    }

    // the contract's CRM: the real vtiger and its seeded contacts; it counts no failed portal logins

    @Override
    CrmUnderTest underTest() {
        return new CrmUnderTest(vtiger.url(), vtiger.apiUser(), vtiger.accessKey(), CrmSeed.GROUP_FIELD,
                CrmSeed.ALICE, CrmSeed.DAN, CrmSeed.CAROL, CrmSeed.BOB, CrmSeed.PAGER, CrmSeed.PAGERS,
                email -> CrmSeed.contactNo(vtiger.webService(), email), null, "vtiger");
    }

    /**
     * vtiger's portal user names are not unique, and its portal API accepts the first row whose password matches:
     * with Dan's portal row named like Alice's, Dan's password is accepted for "alice@example.com", as Dan. The
     * federation looked Alice up, so that answer is not Alice's password: refused.
     */
    @Test
    void aPasswordTheCrmAcceptsForAnotherContactWithTheSamePortalUserNameIsRefused() throws Exception {
        String alice = CrmSeed.ALICE.email();
        String before = CrmSeed.portalUserName(vtiger, CrmSeed.DAN.email(), alice);
        try {
            JsonNode crmSays = fetchProfile(alice, CrmSeed.DAN.password());
            assertTrue(crmSays.path("success").asBoolean(), "the CRM accepts Dan's password for Alice's name: " + crmSays);
            String danId = CrmSeed.id(vtiger.webService(), CrmSeed.DAN.email());
            assertEquals(danId, crmSays.path("result").path("customer_details").path("id").asText(), "as Dan");

            Login login = signIn(alice, CrmSeed.DAN.password());
            assertTrue(login.text().contains(MSG_INVALID), "not signed in as Alice: " + login.text());
            assertTrue(keycloak().log().contains("CRM contacts crm: " + alice + ": the CRM's portal accepted the password "
                    + "for another contact sharing this portal user name, not " + CrmSeed.id(vtiger.webService(), alice)),
                    "one log line for the admin");
        } finally {
            CrmSeed.portalUserName(vtiger, CrmSeed.DAN.email(), before);
            clearBruteForce(alice);
        }
        assertNotNull(signIn(alice, CrmSeed.ALICE.password()).code(), "Alice's own password still works");
    }

    /**
     * vtiger has no failed-attempt counter or lock: a guesser is stopped by Keycloak's brute-force detection alone
     * (this realm: locked after 3 failures). The CRM sees only the guesses Keycloak let through, the right password is
     * then refused without asking the CRM, and the CRM itself still accepts it (it locked nothing). The federation's
     * pause (coreBOS: after 4 wrong passwords) does not apply: it would let anyone shut a contact out for good.
     */
    @Test
    void wrongPasswordsAreStoppedByKeycloaksBruteForceDetectionSinceVtigerNeverLocks() throws Exception {
        try {
            int mark = vtiger.loggedRequests().size();
            for (int i = 0; i < 6; i++) {
                assertTrue(signIn(GUESSED, "guess-" + i).text().contains(MSG_INVALID));
            }
            long asked = portalApiRequests(vtiger.loggedRequestsSince(mark));
            System.out.printf("vtiger brute force: of 6 wrong passwords the CRM saw %d%n", asked);
            assertTrue(asked >= 1 && asked <= 3, "the CRM saw only the guesses Keycloak let through: " + asked);

            mark = vtiger.loggedRequests().size();
            Login locked = signIn(GUESSED, GUESSED_PASSWORD);
            assertTrue(locked.text().contains(MSG_INVALID), "the right password, locked out by Keycloak: " + locked.text());
            assertEquals(0, portalApiRequests(vtiger.loggedRequestsSince(mark)), "the CRM was not asked");
            List<EventRepresentation> events = realm().getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 200);
            assertTrue(events.stream().anyMatch(e -> "user_temporarily_disabled".equals(e.getError())
                    && e.getDetails() != null && GUESSED.equals(e.getDetails().get("username"))),
                    "Keycloak's event: temporarily disabled");
            assertTrue(fetchProfile(GUESSED, GUESSED_PASSWORD).path("success").asBoolean(),
                    "vtiger itself locked nothing");
        } finally {
            clearBruteForce(GUESSED);
        }
        // more wrong passwords reach vtiger than coreBOS's pause (4) would let through: nothing pauses a vtiger contact
        int mark = vtiger.loggedRequests().size();
        for (int i = 0; i < 4; i++) {
            assertTrue(signIn(GUESSED, "again-" + i).text().contains(MSG_INVALID));
            clearBruteForce(GUESSED);
        }
        assertEquals(4, portalApiRequests(vtiger.loggedRequestsSince(mark)), "each sent to vtiger");
        assertNotNull(signIn(GUESSED, GUESSED_PASSWORD).code(), "in again once Keycloak's lockout is lifted");
        String id = realm().users().searchByEmail(GUESSED, true).get(0).getId();
        assertEquals(List.of(), realm().users().get(id).credentials().stream().map(c -> c.getType())
                .filter("crm-portal-failures"::equals).toList(), "no count kept for a CRM that never locks");
    }

    /** CRM requests on a login's path, from vtiger's own access log, beside coreBOS's 3 / 1 (CrmFederationIT). */
    @Test
    void crmRequestsPerLogin() throws Exception {
        // API session and Acme Corp's name known, as on a running server (a search always reads the CRM)
        assertEquals(1, realm().users().search(CrmSeed.ALICE.email(), 0, 1).size());
        int mark = vtiger.loggedRequests().size();
        assertNotNull(signIn(MEASURED, MEASURED_PASSWORD).code());
        List<String> cold = vtiger.loggedRequestsSince(mark);
        mark = vtiger.loggedRequests().size();
        assertNotNull(signIn(MEASURED, MEASURED_PASSWORD).code());
        List<String> warm = vtiger.loggedRequestsSince(mark);
        System.out.printf("vtiger: CRM requests per login: cold %d %s, warm %d %s%n", cold.size(), paths(cold),
                warm.size(), paths(warm));
        // cold: the lookup (query) and the password (FetchProfile); warm: the password alone, the contact is in
        // Keycloak's user cache. No challenge (the portal API needs none), no portal session to log out.
        assertEquals(List.of("POST /webservice.php?operation=query", "POST " + PORTAL_API), paths(cold), "cold");
        assertEquals(List.of("POST " + PORTAL_API), paths(warm), "warm");
    }

    /**
     * What vtiger's web server logs of the federation's requests (its access log, as any web server's keeps URLs):
     * never the API session, the access key's hash or a password. vtiger reads a GET operation's parameters from the
     * URL only, so {@code operation}, {@code query} (with the contact's email or the search text) and {@code id} are
     * there; the portal API reads the body only, so its URL carries nothing.
     */
    @Test
    void vtigersAccessLogHoldsNoSessionKeyOrPassword() throws Exception {
        assertNotNull(signIn(CrmSeed.DAN.email(), CrmSeed.DAN.password()).code());
        realm().users().search("O'B", 0, 10);
        // every request of the federation is a POST; the test's own seeding (CrmWebService) reads with GET
        List<String> logged = vtiger.loggedRequests().stream().filter(r -> r.startsWith("POST ")).toList();
        assertTrue(logged.size() > 10, "the federation's requests are logged: " + logged.size());
        TreeSet<String> names = new TreeSet<>();
        for (String request : logged) {
            String url = request.substring(request.indexOf(' ') + 1);
            for (String secret : List.of("sessionName", "accessKey", "password", "Pass1", vtiger.accessKey())) {
                assertFalse(url.contains(secret), secret + " in " + url);
            }
            if (url.startsWith(PORTAL_API)) {
                assertEquals(PORTAL_API, url, "nothing in the portal API's URL");
            }
            if (url.startsWith("/webservice.php?")) {
                for (String p : url.substring(url.indexOf('?') + 1).split("&")) {
                    names.add(p.split("=")[0]);
                }
            }
        }
        System.out.println("vtiger access log: parameters in the federation's URLs: " + names);
        assertTrue(names.contains("query"), "the VTQL is in the URL on vtiger: " + names);
    }

    /** vtiger ends an API session on its own (idle, a restart): the federation logs in again, once, and goes on. */
    @Test
    void anApiSessionVtigerEndedIsRenewedOnce() {
        assertEquals(1, realm().users().search("Pager001", 0, 5).size());
        vtiger.endSessions();
        int mark = vtiger.loggedRequests().size();
        assertEquals(1, realm().users().search("Pager001", 0, 5).size(), "found after the renewal");
        List<String> sent = paths(vtiger.loggedRequestsSince(mark));
        System.out.println("vtiger: a query after its session ended: " + sent);
        assertEquals(1, sent.stream().filter(r -> r.endsWith("operation=getchallenge")).count(), "one new challenge");
        assertEquals(1, sent.stream().filter(r -> r.equals("POST /webservice.php")).count(), "one new login");
        assertEquals(2, sent.stream().filter(r -> r.endsWith("operation=query")).count(), "refused once, then answered");
    }

    /**
     * A federation saved with the old flavour value {@code vtiger7} does what it did: contacts are found, a password
     * login is refused with its own page, and no password is sent anywhere.
     */
    @Test
    void theOldFlavourVtiger7StillFindsContactsAndSendsNoPassword() throws Exception {
        String name = REALM + "-vtiger7";
        if (keycloak().admin().realms().findAll().stream().noneMatch(r -> r.getRealm().equals(name))) {
            RealmResource r = createRealm(keycloak(), name);
            ComponentRepresentation f = federation(r, "crm", vtiger.url(), vtiger.apiUser(), vtiger.accessKey(),
                    CrmSeed.GROUP_FIELD, true);
            f.getConfig().putSingle("flavour", "vtiger7");
            save(keycloak(), r, f);
        }
        RealmResource old = keycloak().admin().realm(name);
        String alice = CrmSeed.ALICE.email();
        assertEquals(1, old.users().searchByEmail(alice, true).size(), "found");
        int mark = vtiger.loggedRequests().size();
        Login login = login(keycloak(), name, CLIENT, alice, CrmSeed.ALICE.password());
        assertTrue(login.text().contains("Password login is not available for CRM contacts on this server"), login.text());
        assertTrue(hasLoginError(old, alice, "crm_no_portal_login"));
        assertEquals(0, portalApiRequests(vtiger.loggedRequestsSince(mark)), "no password sent");
    }

    /** vtiger's portal API as an attacker or the test calls it: FetchProfile, body and Basic header. */
    private static JsonNode fetchProfile(String username, String password) throws Exception {
        String form = "_operation=FetchProfile&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(vtiger.url() + PORTAL_API)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (username + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    private static long portalApiRequests(List<String> logged) {
        return logged.stream().filter(r -> r.equals("POST " + PORTAL_API)).count();
    }

    /** Method and path, and for webservice.php its operation: what each request was. */
    private static List<String> paths(List<String> logged) {
        return logged.stream().map(r -> r.replaceAll("(operation=[a-z]+).*", "$1")).toList();
    }
}

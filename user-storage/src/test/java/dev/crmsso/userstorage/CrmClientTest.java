package dev.crmsso.userstorage;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.crmsso.testsupport.crm.CrmStandIn;

/** The client against the CRM stand-in: sessions, renewal, portal logins, faults. */
class CrmClientTest {

    private CrmStandIn crm;
    private CrmClient client;

    @BeforeEach
    void start() {
        crm = CrmStandIn.start();
        client = new CrmClient(config(ACCESS_KEY));
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private CrmConfig config(String key) {
        return new CrmConfig(URI.create(crm.url()), API_USER, key, Flavour.COREBOS, "email", true, List.of(), null,
                Duration.ofSeconds(2), Duration.ofMillis(2500));
    }

    private static Vtql alice() {
        return Vtql.select("Contacts", List.of("id", "email")).whereEquals("email", ALICE_EMAIL);
    }

    /** What a web server's access log keeps: no session id, password hash or email in any URL. */
    @Test
    void theSessionNeverTravelsInAUrl() {
        client.query(alice());
        client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD);
        crm.expireSessions();
        client.query(alice());
        assertTrue(crm.count("query") >= 2 && crm.count("getchallenge") >= 2);
        assertEquals(List.of(), crm.urlQueries(), "coreBOS: everything in the POST body");

        crm.clearRequests();
        CrmClient vtiger = new CrmClient(new CrmConfig(URI.create(crm.url()), API_USER, ACCESS_KEY, Flavour.VTIGER,
                "email", true, List.of(), null, Duration.ofSeconds(2), Duration.ofMillis(2500)));
        assertEquals(1, vtiger.query(alice()).result().size());
        assertFalse(crm.urlQueries().isEmpty(), "vtiger 7 reads a GET operation's parameters from the URL");
        for (String q : crm.urlQueries()) {
            assertFalse(q.contains("sessionName") || q.contains("accessKey"), q);
        }
    }

    private CrmClient vtiger() {
        return new CrmClient(new CrmConfig(URI.create(crm.url()), API_USER, ACCESS_KEY, Flavour.VTIGER, "email", true,
                List.of(), null, Duration.ofSeconds(2), Duration.ofMillis(2500)));
    }

    /** vtiger's portal API: FetchProfile in a POST body with a Basic header, never in a URL; nothing counted. */
    @Test
    void vtigerChecksThePasswordWithThePortalApi() {
        CrmClient vtiger = vtiger();
        String alice = "12x8001";
        assertEquals(PortalLoginResult.SUCCESS, vtiger.checkPortalPassword(ALICE_EMAIL, alice, ALICE_PASSWORD));
        assertEquals(PortalLoginResult.WRONG_PASSWORD, vtiger.checkPortalPassword(ALICE_EMAIL, alice, "nope"));
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, vtiger.checkPortalPassword(ERIN_EMAIL, "12x8264", ERIN_PASSWORD));
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, vtiger.checkPortalPassword(BOB_EMAIL, "12x8002", BOB_PASSWORD));
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, vtiger.checkPortalPassword("nobody@example.com", "12x1", "x"));
        assertEquals(0, crm.failures(ALICE_EMAIL), "no counter");
        List<CrmStandIn.Request> portal = crm.requests().stream().filter(r -> r.operation().startsWith("portal:")).toList();
        assertEquals(5, portal.size());
        for (CrmStandIn.Request r : portal) {
            assertEquals("portal:FetchProfile", r.operation());
            assertTrue(r.params().get(CrmStandIn.AUTHORIZATION).startsWith("Basic "), "the header vtiger wants");
        }
        assertEquals(List.of(), crm.urlQueries(), "no password, no email in a URL");
        assertEquals(0, crm.count("getchallenge") + crm.count("loginPortal"), "webservice.php not asked");
    }

    /** The portal said yes, for the contact whose row matched the user name: another contact is no success. */
    @Test
    void aPasswordAcceptedForAnotherContactIsNoSuccess() {
        assertEquals(PortalLoginResult.OTHER_CONTACT, vtiger().checkPortalPassword(ALICE_EMAIL, "12x8003", ALICE_PASSWORD));
    }

    @Test
    void aPortalApiThatFailsIsAnUnavailableCrmAndCountsForTheBreaker() {
        CrmBreaker breaker = new CrmBreaker("crm", Duration.ofSeconds(30));
        CrmClient vtiger = new CrmClient(vtiger().config(), breaker);
        crm.slowness(Duration.ofSeconds(4));
        for (CrmStandIn.Fault f : List.of(CrmStandIn.Fault.HTTP_500, CrmStandIn.Fault.HTML, CrmStandIn.Fault.BROKEN_JSON)) {
            crm.fault(f);
            CrmException e = assertThrows(CrmException.class,
                    () -> vtiger.checkPortalPassword(ALICE_EMAIL, "12x8001", ALICE_PASSWORD), f.name());
            assertTrue(e.isUnavailable(), f + ": " + e.getMessage());
        }
        crm.fault(CrmStandIn.Fault.NONE);
        assertTrue(vtiger.isBreakerOpen(), "three in a row without an answer");
    }

    @Test
    void theTestConnectionProbeOfThePortalApi() {
        vtiger().probePortalApi();
        crm.fault(CrmStandIn.Fault.HTTP_500);
        try {
            CrmException e = assertThrows(CrmException.class, () -> vtiger().probePortalApi());
            assertTrue(e.getMessage().contains("customer-portal API") && e.getMessage().contains("HTTP 500"), e.getMessage());
        } finally {
            crm.fault(CrmStandIn.Fault.NONE);
        }
    }

    @Test
    void accessKeyIsMd5OfTokenAndKey() {
        assertEquals("900150983cd24fb0d6963f7d28e17f72", CrmClient.md5("abc"));
    }

    @Test
    void logsInOnceAndSharesTheSessionAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<CrmResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            calls.add(() -> client.query(alice()));
        }
        for (Future<CrmResponse> f : pool.invokeAll(calls)) {
            assertEquals(1, f.get().result().size());
        }
        pool.shutdown();
        assertEquals(1, crm.count("login"));
        assertEquals(1, crm.count("getchallenge"));
        assertEquals(32, crm.count("query"));
    }

    @Test
    void renewsAGoneSessionOnceAndRetries() {
        client.query(alice());
        crm.expireSessions();
        crm.clearRequests();
        assertEquals(1, client.query(alice()).result().size());
        assertEquals(1, crm.count("login"));
        assertEquals(2, crm.count("query"));
    }

    @Test
    void aWrongAccessKeyIsTheCrmsRefusal() {
        CrmException e = assertThrows(CrmException.class, () -> new CrmClient(config("wrong")).query(alice()));
        assertEquals("INVALID_USER_CREDENTIALS", e.code());
        assertTrue(!e.getMessage().contains("wrong"));
    }

    @Test
    void portalLoginAnswers() {
        assertEquals(PortalLoginResult.SUCCESS, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
        assertEquals(PortalLoginResult.WRONG_PASSWORD, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), "nope"));
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, client.loginPortal(BOB_EMAIL, crm.contactId(BOB_EMAIL), BOB_PASSWORD));
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, client.loginPortal("nobody@example.com", "", "x"));
    }

    /**
     * coreBOS answers a portal login with the contact whose portal row it matched ({@code user.contactid}): a success
     * for any other contact than the one looked up is no success, and its challenge token is not used again.
     */
    @Test
    void aPortalLoginTheCrmAnswersForAnotherContactIsRefusedAndItsTokenDropped() {
        assertEquals(PortalLoginResult.OTHER_CONTACT, client.loginPortal(ALICE_EMAIL, crm.contactId(BOB_EMAIL), ALICE_PASSWORD));
        assertEquals(PortalLoginResult.OTHER_CONTACT, client.loginPortal(ALICE_EMAIL, "", ALICE_PASSWORD));
        assertEquals(PortalLoginResult.SUCCESS, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
        assertEquals(3, crm.count("getchallenge"), "a new challenge after each answer for another contact");
    }

    @Test
    void reusesTheChallengeTokenAndLogsThePortalSessionOut() throws Exception {
        client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD);
        crm.clearRequests();
        assertEquals(PortalLoginResult.SUCCESS, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
        assertEquals(0, crm.count("getchallenge"));
        assertEquals(1, crm.count("loginPortal"));
        for (int i = 0; i < 50 && crm.openPortalSessions() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, crm.openPortalSessions());
    }

    /** As coreBOS's LoginPortal.php: locked with more than 5 failures, shown only to the right password. */
    @Test
    void locksWithMoreThanFiveFailures() {
        for (int i = 0; i < 5; i++) {
            assertEquals(PortalLoginResult.WRONG_PASSWORD, client.loginPortal(CAROL_EMAIL, crm.contactId(CAROL_EMAIL), "wrong" + i));
        }
        assertEquals(PortalLoginResult.SUCCESS, client.loginPortal(CAROL_EMAIL, crm.contactId(CAROL_EMAIL), CAROL_PASSWORD), "5 failures: still in");
        assertEquals(0, crm.failures(CAROL_EMAIL), "a success sets the count back to 0");
        for (int i = 0; i < 6; i++) {
            assertEquals(PortalLoginResult.WRONG_PASSWORD, client.loginPortal(CAROL_EMAIL, crm.contactId(CAROL_EMAIL), "wrong" + i));
        }
        assertEquals(PortalLoginResult.LOCKED, client.loginPortal(CAROL_EMAIL, crm.contactId(CAROL_EMAIL), CAROL_PASSWORD));
        assertEquals(PortalLoginResult.WRONG_PASSWORD, client.loginPortal(CAROL_EMAIL, crm.contactId(CAROL_EMAIL), "wrong"), "still counted");
        assertEquals(PortalLoginResult.LOCKED, client.loginPortal(CAROL_EMAIL, crm.contactId(CAROL_EMAIL), CAROL_PASSWORD), "for good");
        assertEquals(7, crm.failures(CAROL_EMAIL));
    }

    @Test
    void aPortalLoginWithAnExpiredTokenIsACountedFailureAndTheNextOneAsksAgain() {
        assertEquals(PortalLoginResult.SUCCESS, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
        crm.expireChallenges();
        assertEquals(PortalLoginResult.WRONG_PASSWORD, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
        assertEquals(1, crm.failures(ALICE_EMAIL), "coreBOS counts it");
        assertEquals(PortalLoginResult.SUCCESS, client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
    }

    @Test
    void aPortalLoginThatNeverReachedTheCrmSaysSo() {
        crm.fault(CrmStandIn.Fault.DOWN);
        try {
            CrmException e = assertThrows(CrmException.class, () -> client.loginPortal(ALICE_EMAIL, crm.contactId(ALICE_EMAIL), ALICE_PASSWORD));
            assertFalse(e.mayHaveReachedCrm(), e.getMessage());
        } finally {
            crm.fault(CrmStandIn.Fault.NONE);
        }
    }

    /** A hanging CRM: every thread that needs the API session waits for the one login, not one after another. */
    @Test
    void theApiLoginIsSingleFlight() throws Exception {
        crm.slowness(Duration.ofSeconds(4));
        crm.fault(CrmStandIn.Fault.SLOW);
        CrmClient slow = new CrmClient(config(ACCESS_KEY), new CrmBreaker("crm", Duration.ofSeconds(30)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> {
                    CrmException e = assertThrows(CrmException.class, () -> slow.query(alice()));
                    return e.isUnavailable();
                });
            }
            long start = System.nanoTime();
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                assertTrue(f.get());
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(1, crm.count("getchallenge"), "one login for 8 threads");
            assertTrue(millis < 2 * 2500, "one read timeout for all of them, not one after another: " + millis + " ms");
        } finally {
            pool.shutdown();
            crm.fault(CrmStandIn.Fault.NONE);
        }
    }

    @Test
    void anOpenBreakerSendsNothingAndOneProbeClosesIt() throws Exception {
        CrmBreaker breaker = new CrmBreaker("crm", Duration.ofMillis(300));
        CrmClient guarded = new CrmClient(config(ACCESS_KEY), breaker);
        guarded.query(alice());
        crm.fault(CrmStandIn.Fault.HTML);
        for (int i = 0; i < CrmBreaker.FAILURES_TO_OPEN; i++) {
            assertThrows(CrmException.class, () -> guarded.query(alice()));
        }
        assertTrue(guarded.isBreakerOpen());
        crm.clearRequests();
        CrmException e = assertThrows(CrmException.class, () -> guarded.query(alice()));
        assertTrue(e.isBreakerOpen() && !e.mayHaveReachedCrm(), e.getMessage());
        assertEquals(0, crm.requests().size(), "not sent");
        crm.fault(CrmStandIn.Fault.NONE);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (guarded.isBreakerOpen() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, guarded.query(alice()).result().size(), "the probe's answer closes it");
        assertFalse(guarded.isBreakerOpen());
    }

    @Test
    void everyFaultIsAnUnavailableCrm() {
        client.query(alice());
        for (CrmStandIn.Fault f : List.of(CrmStandIn.Fault.HTML, CrmStandIn.Fault.BROKEN_JSON, CrmStandIn.Fault.SLOW,
                CrmStandIn.Fault.DOWN, CrmStandIn.Fault.HTTP_500)) {
            crm.slowness(Duration.ofSeconds(4));
            crm.fault(f);
            CrmException e = assertThrows(CrmException.class, () -> client.query(alice()), f.name());
            assertTrue(e.isUnavailable() && !e.isBreakerOpen(), f + ": " + e.getMessage());
            crm.fault(CrmStandIn.Fault.NONE);
            assertEquals(1, client.query(alice()).result().size(), f + ": an answer, the breaker still closed");
        }
    }
}

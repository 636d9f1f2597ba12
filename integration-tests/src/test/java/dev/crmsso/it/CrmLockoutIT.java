package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import dev.crmsso.it.CrmContactsContract.Login;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.SampleCrm;

/**
 * Wrong passwords through Keycloak never lock a contact in the CRM (coreBOS locks for good once a
 * contact has more than 5 failed portal logins, and never forgets one with time). Two realms on the
 * CRM stand-in, which counts failures as coreBOS does:
 * <ul>
 * <li>{@value #CLOCK_REALM}: the brute-force detection of the {@code crm} realm with every duration
 * {@value #SCALE} times shorter (1 s here is 15 min there), and an attacker who waits out every lockout;
 * <li>{@value #REALM}: no brute-force detection at all, for an attacker with all the time in the world,
 * or many threads.
 * </ul>
 */
@ExtendWith(CrmSsoExtension.class)
class CrmLockoutIT {

    static final String CLOCK_REALM = "crm-lockout-clock-it";
    static final String REALM = "crm-lockout-it";
    /** The crm realm's durations divided by this: its 900 s wait increment is 1 s here. */
    static final int SCALE = 900;
    static final String CLIENT = "lockout-app";
    static final String SECRET = "lockout-app-secret";
    static final String REDIRECT = CrmFederationIT.REDIRECT;
    static final String MSG_INVALID = "Invalid username or password.";
    static final String MSG_PAUSED = "password sign-in is paused";
    static final String MSG_LOCKED = "Your account is locked in the CRM";
    static final int LIMIT = 4;

    static KeycloakServer keycloak;
    static CrmStandIn crm;

    @BeforeAll
    static void realms(TestStack stack) {
        keycloak = stack.keycloak();
        crm = stack.crm();
        RealmRepresentation clock = realm(CLOCK_REALM);
        // realm-export/crm-realm.json's brute force, every duration divided by SCALE
        clock.setBruteForceProtected(true);
        clock.setPermanentLockout(false);
        clock.setFailureFactor(3);
        clock.setWaitIncrementSeconds(900 / SCALE);
        clock.setMaxFailureWaitSeconds(86400 / SCALE);
        clock.setMaxDeltaTimeSeconds(86400 / SCALE);
        clock.setQuickLoginCheckMilliSeconds(Math.max(1L, 1000L / SCALE));
        clock.setMinimumQuickLoginWaitSeconds(900 / SCALE);
        create(clock);
        RealmRepresentation open = realm(REALM);
        open.setBruteForceProtected(false);
        create(open);
    }

    static RealmRepresentation realm(String name) {
        RealmRepresentation r = new RealmRepresentation();
        r.setRealm(name);
        r.setEnabled(true);
        r.setEventsEnabled(true);
        r.setAdminEventsEnabled(true);
        return r;
    }

    static void create(RealmRepresentation r) {
        keycloak.admin().realms().create(r);
        RealmResource realm = keycloak.admin().realm(r.getRealm());
        realm.clients().create(CrmFederationIT.loginClient(CLIENT, SECRET)).close();
        ComponentRepresentation federation = CrmFederation.of("crm", realm.toRepresentation().getId(), crm,
                SampleCrm.ACCESS_KEY, true);
        federation.getConfig().putSingle("readTimeoutMillis", "1500");
        try (Response created = realm.components().add(federation)) {
            assertEquals(201, created.getStatus(), r.getRealm() + ": federation saved");
        }
    }

    // the attack

    /**
     * A patient attacker against the crm realm's brute-force settings: each wrong password only once
     * Keycloak's lockout has passed. Keycloak slows it down; the federation stops it.
     */
    @Test
    void aPatientAttackerNeverLocksTheContactInTheCrm() throws Exception {
        String email = "customer030@example.com";
        String userId = userId(CLOCK_REALM, email);
        RealmResource realm = keycloak.admin().realm(CLOCK_REALM);
        long waited = 0;
        List<String> arrivals = new ArrayList<>();
        List<Login> answers = new ArrayList<>();
        for (int guess = 1; guess <= 12; guess++) {
            waited += waitOutLockout(realm, userId);
            int before = crm.failures(email);
            answers.add(login(CLOCK_REALM, email, "guess-" + guess));
            if (crm.failures(email) > before) {
                arrivals.add("CRM failure " + crm.failures(email) + " after " + minutes(waited) + " min");
            }
        }
        System.out.printf("Patient attacker, crm realm's brute force (clock %dx shorter): %s; locked in the CRM: %s%n",
                SCALE, arrivals, crm.isLocked(email));

        assertEquals(LIMIT, crm.failures(email), "the CRM saw 4 wrong passwords, never a fifth: " + arrivals);
        assertFalse(crm.isLocked(email));
        for (Login answer : answers.subList(0, LIMIT)) {
            assertTrue(answer.text().contains(MSG_INVALID), answer.text());
        }
        for (Login answer : answers.subList(LIMIT, answers.size())) {
            assertTrue(answer.text().contains(MSG_PAUSED), answer.text());
        }
        // the contact itself now: not asked of the CRM either (it would be the attacker's next guess)
        waitOutLockout(realm, userId);
        crm.clearRequests();
        Login contact = login(CLOCK_REALM, email, "customer-pw-30");
        assertTrue(contact.text().contains(MSG_PAUSED), contact.text());
        assertEquals(0, crm.count("loginPortal"));
        assertTrue(hasLoginError(CLOCK_REALM, email, "crm_password_paused"), "event for the admin");
        assertTrue(keycloak.log().contains("CRM contacts crm: " + email + ": " + LIMIT
                + " wrong passwords sent to the CRM since the last success; password login paused"), "log line");
        assertFalse(keycloak.log().contains("guess-"), "no password in the log");
    }

    /** Many wrong passwords at once, on one contact: the count is taken before the CRM is asked. */
    @Test
    void wrongPasswordsAtOnceNeverPassTheLimit() throws Exception {
        String email = "customer031@example.com";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Login>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String guess = "parallel-" + i;
                futures.add(pool.submit((Callable<Login>) () -> login(REALM, email, guess)));
            }
            int paused = 0;
            for (Future<Login> f : futures) {
                Login answer = f.get();
                assertTrue(answer.text().contains(MSG_INVALID) || answer.text().contains(MSG_PAUSED), answer.text());
                paused += answer.text().contains(MSG_PAUSED) ? 1 : 0;
            }
            System.out.printf("10 wrong passwords at once: the CRM saw %d, %d were paused%n", crm.failures(email), paused);
            assertEquals(LIMIT, crm.failures(email));
            assertEquals(10 - LIMIT, paused);
        } finally {
            pool.shutdownNow();
        }
    }

    // what lifts it, what does not

    @Test
    void aSuccessSetsTheCountBack() throws Exception {
        String email = "customer032@example.com";
        for (int i = 0; i < LIMIT - 1; i++) {
            login(REALM, email, "wrong-" + i);
        }
        assertEquals("3 wrong passwords sent to the CRM since the last success (password login pauses at 4)",
                failureCredential(email).getUserLabel());
        assertNotNull(login(REALM, email, "customer-pw-32").code());
        assertEquals(0, crm.failures(email));
        assertNull(failureCredential(email), "nothing left to show");
        for (int i = 0; i < LIMIT - 1; i++) {
            assertTrue(login(REALM, email, "again-" + i).text().contains(MSG_INVALID));
        }
        assertNotNull(login(REALM, email, "customer-pw-32").code(), "a fresh allowance after the success");
    }

    @Test
    void anAdminLiftsThePauseInTheContactsCredentialsTab() throws Exception {
        String email = "customer033@example.com";
        for (int i = 0; i <= LIMIT; i++) {
            login(REALM, email, "wrong-" + i);
        }
        assertTrue(login(REALM, email, "customer-pw-33").text().contains(MSG_PAUSED));
        // Keycloak's own "Clear user cache" forgets nothing of it: it is kept in Keycloak's database
        keycloak.admin().realm(REALM).clearUserCache();
        assertTrue(login(REALM, email, "customer-pw-33").text().contains(MSG_PAUSED));

        CredentialRepresentation pause = failureCredential(email);
        assertEquals("crm-portal-failures", pause.getType());
        assertEquals("4 wrong passwords sent to the CRM since the last success: password login paused "
                + "(delete this to lift it)", pause.getUserLabel());
        keycloak.admin().realm(REALM).users().get(userId(REALM, email)).removeCredential(pause.getId());

        List<AdminEventRepresentation> events = keycloak.admin().realm(REALM).getAdminEvents(null, null, null, null,
                null, null, null, null, 0, 100);
        // Keycloak files a credential's removal as operation ACTION on the credential's path
        assertTrue(events.stream().anyMatch(e -> "ACTION".equals(e.getOperationType())
                && e.getResourcePath().endsWith("/credentials/" + pause.getId())),
                "the lift is in Keycloak's admin events: " + events.stream()
                        .map(e -> e.getOperationType() + " " + e.getResourcePath()).toList());
        assertEquals(LIMIT, crm.failures(email), "the CRM still counts them: the next success clears them");
        assertNotNull(login(REALM, email, "customer-pw-33").code());
        assertEquals(0, crm.failures(email));
    }

    @Test
    void aContactTheCrmHasLockedAlreadyGetsTheCrmsMessage() throws Exception {
        String email = "customer034@example.com";
        crm.lock(email);
        Login login = login(REALM, email, "customer-pw-34");
        assertTrue(login.text().contains(MSG_LOCKED), login.text());
    }

    @Test
    void theSettingRefusesAValueBelowOne() {
        RealmResource realm = keycloak.admin().realm(REALM);
        ComponentRepresentation federation = CrmFederation.of("crm-no-limit", realm.toRepresentation().getId(), crm,
                SampleCrm.ACCESS_KEY, false);
        federation.getConfig().putSingle("portalFailureLimit", "0");
        try (Response refused = realm.components().add(federation)) {
            assertEquals(400, refused.getStatus());
            assertTrue(refused.readEntity(String.class).contains("Pause password login after"));
        }
    }

    // helpers

    /** Waits until Keycloak's brute-force detection lets the user try again; the seconds it was locked. */
    static long waitOutLockout(RealmResource realm, String userId) throws InterruptedException {
        Map<String, Object> status = realm.attackDetection().bruteForceUserStatus(userId);
        if (!Boolean.TRUE.equals(status.get("disabled"))) {
            return 0;
        }
        long notBefore = ((Number) status.get("failedLoginNotBefore")).longValue();
        long lockedAt = ((Number) status.get("lastFailure")).longValue() / 1000;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Boolean.TRUE.equals(realm.attackDetection().bruteForceUserStatus(userId).get("disabled"))) {
            assertTrue(Instant.now().isBefore(deadline), "Keycloak's lockout did not end");
            Thread.sleep(100);
        }
        return notBefore - lockedAt;
    }

    /** Seconds of this realm's clock as minutes of the crm realm's. */
    static long minutes(long scaledSeconds) {
        return scaledSeconds * SCALE / 60;
    }

    static String userId(String realm, String email) {
        return keycloak.admin().realm(realm).users().search(email, true).get(0).getId();
    }

    static CredentialRepresentation failureCredential(String email) {
        return keycloak.admin().realm(REALM).users().get(userId(REALM, email)).credentials().stream()
                .filter(c -> "crm-portal-failures".equals(c.getType())).findFirst().orElse(null);
    }

    static boolean hasLoginError(String realm, String username, String detail) {
        List<EventRepresentation> events = keycloak.admin().realm(realm).getEvents(List.of("LOGIN_ERROR"), null, null,
                null, null, null, 0, 500);
        return events.stream().anyMatch(e -> e.getDetails() != null
                && username.equalsIgnoreCase(e.getDetails().get("username"))
                && detail.equals(e.getDetails().get("authentication_error_detail")));
    }

    static Login login(String realm, String username, String password) throws Exception {
        return CrmFederationIT.login(keycloak, realm, CLIENT, username, password);
    }
}

package dev.crmsso.userstorage;

import java.time.Duration;
import java.util.function.Function;

import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageUtil;
import org.keycloak.storage.federated.UserFederatedStorageProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The wrong passwords this federation has sent to the CRM for one contact since the contact's last
 * success, so that Keycloak stops asking before the CRM's own lock (coreBOS: more than 5 failed
 * portal logins lock a contact until a CRM admin resets it; time never lowers the count).
 *
 * <p>Kept in Keycloak's federated storage for the contact, as a credential of its own type (table
 * {@code FED_USER_CREDENTIAL} of Keycloak's database, beside the contact's memberships): it survives
 * restarts, every node of a cluster reads the same, and it shows in the contact's <em>Credentials</em>
 * tab of the admin console, where an admin's <em>Delete</em> lifts a pause (and Keycloak writes the
 * admin event).
 * Each change is committed in a transaction of its own, the +1 <em>before</em> the CRM is asked (a node
 * that dies in the middle leaves the failure counted, as the CRM may have counted it), and one portal
 * login per contact runs at a time across the cluster (a lock in Keycloak's single-use store, which the
 * nodes share): two logins at once cannot both read 3 and both ask.
 */
final class PortalFailures {

    /** The credential type: its data {@code {"failures":N,"since":epochMillis}}, its label for the admin. */
    static final String CREDENTIAL_TYPE = "crm-portal-failures";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DEFAULT_LIMIT = 4;
    private static final String LOCK_PREFIX = "crm-sso.portal-login.";
    private static final long POLL_MILLIS = 20;

    /** How many, and since when (epoch ms; 0 when none). */
    record Count(int failures, long since) {
        static final Count NONE = new Count(0, 0);

        Count plusOne(long now) {
            return new Count(failures + 1, failures == 0 ? now : since);
        }
    }

    /** Password login of this contact is paused: the CRM is not asked. */
    static final class Paused extends Exception {
        final Count count;

        Paused(Count count) {
            super(null, null, false, false);
            this.count = count;
        }
    }

    /** Another portal login of this contact held the lock for longer than a CRM call can take. */
    static final class Busy extends Exception {
        Busy() {
            super(null, null, false, false);
        }
    }

    private final KeycloakSession session;
    private final String realmId;
    private final int limit;
    private final Duration lockHold;

    /**
     * @param lockHold the longest one portal login can hold the contact's lock: the lock's lifespan
     *                 (a node that dies holding it frees it then) and how long another login waits for it
     */
    PortalFailures(KeycloakSession session, String realmId, int limit, Duration lockHold) {
        this.session = session;
        this.realmId = realmId;
        this.limit = limit;
        this.lockHold = lockHold;
    }

    /** The federation's setting, {@value #DEFAULT_LIMIT} when unset; at least 1. */
    static int limit(ComponentModel model) {
        String value = model.get(CrmContactsConstants.CONFIG_PORTAL_FAILURE_LIMIT);
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Pause password login after: a whole number, at least 1");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("Pause password login after: a whole number, at least 1");
        }
        return limit;
    }

    int limit() {
        return limit;
    }

    /**
     * Takes the contact's lock, reads the count as committed, and, below the limit, commits it +1:
     * the caller then asks the CRM and ends the attempt with exactly one of its methods.
     */
    Attempt begin(UserModel user) throws Paused, Busy {
        String lock = LOCK_PREFIX + user.getId();
        acquire(lock);
        try {
            Count before = inTransaction(s -> read(stored(s, user)));
            if (before.failures() >= limit) {
                throw new Paused(before);
            }
            Count sent = before.plusOne(System.currentTimeMillis());
            write(user, sent, false);
            return new CountedAttempt(user, lock, before, sent);
        } catch (Paused | RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    /** One portal login: ends with exactly one of its methods. */
    interface Attempt {
        /** The CRM accepted the password, and set its own count back to 0. */
        void succeeded();

        /** The CRM counted a failure (or may have: no answer, a garbled one). The count with it. */
        Count failed();

        /** The CRM counted nothing (no portal login sent, no portal access, already locked). */
        void notCounted();
    }

    /**
     * The portal login of a CRM that neither counts failures nor locks (vtiger's portal API): nothing to pause
     * before, so nothing is counted or stored; Keycloak's brute-force detection is what limits guessing.
     */
    static final Attempt NOT_COUNTED = new Attempt() {
        @Override
        public void succeeded() {
        }

        @Override
        public Count failed() {
            return Count.NONE;
        }

        @Override
        public void notCounted() {
        }
    };

    /** A counted portal login, which also frees the contact's lock when it ends. */
    private final class CountedAttempt implements Attempt {
        private final UserModel user;
        private final String lock;
        private final Count before;
        private final Count sent;

        private CountedAttempt(UserModel user, String lock, Count before, Count sent) {
            this.user = user;
            this.lock = lock;
            this.before = before;
            this.sent = sent;
        }

        @Override
        public void succeeded() {
            finish(Count.NONE, before.failures() > 0);
        }

        @Override
        public Count failed() {
            finish(sent, true);
            return sent;
        }

        @Override
        public void notCounted() {
            finish(before, false);
        }

        private void finish(Count count, boolean shown) {
            try {
                if (!count.equals(sent)) {
                    write(user, count, shown);
                } else if (shown) {
                    evict(user);
                }
            } finally {
                release(lock);
            }
        }
    }

    // storage

    private CredentialModel stored(KeycloakSession s, UserModel user) {
        return UserStorageUtil.userFederatedStorage(s)
                .getStoredCredentialsByTypeStream(s.realms().getRealm(realmId), user.getId(), CREDENTIAL_TYPE)
                .findFirst().orElse(null);
    }

    private static Count read(CredentialModel credential) {
        if (credential == null) {
            return Count.NONE;
        }
        try {
            JsonNode data = JSON.readTree(credential.getCredentialData());
            int failures = data.path("failures").asInt(-1);
            if (failures >= 0) {
                return new Count(failures, data.path("since").asLong(0));
            }
        } catch (Exception e) {
            // unreadable: below
        }
        // not ours to misread as 0: the most the federation would ever send
        return new Count(Integer.MAX_VALUE, 0);
    }

    /** What the admin reads in the contact's Credentials tab. */
    String label(Count count) {
        String sent = count.failures() + (count.failures() == 1 ? " wrong password" : " wrong passwords")
                + " sent to the CRM since the last success";
        return count.failures() >= limit
                ? sent + ": password login paused (delete this to lift it)"
                : sent + " (password login pauses at " + limit + ")";
    }

    /**
     * Commits the count; {@code shown}: the Credentials tab changes with it, so Keycloak's user cache,
     * which keeps a contact's credentials, drops the contact on every node. (Not on the +1 of a login that
     * then succeeds: the next login finds the contact still cached.)
     */
    private void write(UserModel user, Count count, boolean shown) {
        inTransaction(s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            UserFederatedStorageProvider storage = UserStorageUtil.userFederatedStorage(s);
            CredentialModel current = stored(s, user);
            if (count.failures() == 0) {
                if (current != null) {
                    storage.removeStoredCredential(realm, user.getId(), current.getId());
                }
            } else {
                CredentialModel c = current != null ? current : new CredentialModel();
                c.setType(CREDENTIAL_TYPE);
                c.setUserLabel(label(count));
                c.setCreatedDate(count.since());
                c.setCredentialData(JSON.createObjectNode().put("failures", count.failures())
                        .put("since", count.since()).toString());
                c.setSecretData("{}");
                if (current != null) {
                    storage.updateCredential(realm, user.getId(), c);
                } else {
                    storage.createCredential(realm, user.getId(), c);
                }
            }
            if (shown) {
                evict(s, realm, user);
            }
            return null;
        });
    }

    private void evict(UserModel user) {
        inTransaction(s -> {
            evict(s, s.realms().getRealm(realmId), user);
            return null;
        });
    }

    private static void evict(KeycloakSession s, RealmModel realm, UserModel user) {
        UserCache cache = UserStorageUtil.userCache(s);
        if (cache != null) {
            cache.evict(realm, user);
        }
    }

    private <V> V inTransaction(Function<KeycloakSession, V> job) {
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), job::apply);
    }

    // the contact's lock

    private void acquire(String lock) throws Busy {
        long lifespan = Math.max(1, lockHold.toSeconds());
        long deadline = System.nanoTime() + lockHold.plusSeconds(1).toNanos();
        while (!session.singleUseObjects().putIfAbsent(lock, lifespan)) {
            if (System.nanoTime() > deadline) {
                throw new Busy();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Busy();
            }
        }
    }

    private void release(String lock) {
        session.singleUseObjects().remove(lock);
    }
}

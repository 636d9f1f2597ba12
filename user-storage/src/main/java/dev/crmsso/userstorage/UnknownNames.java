package dev.crmsso.userstorage;

import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Usernames and emails the CRM has just said nobody has, so that the same unknown name typed again
 * (a typo, a local user's name in another realm, a password guesser's list) is not a CRM query each
 * time. Only an answer "nobody" is kept, never a failure; for {@link #KEEP} at most, and at most
 * {@link #MAX} names (when full, expired names go first, and a name that finds no room is simply
 * not kept).
 */
final class UnknownNames {

    static final Duration KEEP = Duration.ofSeconds(30);
    static final int MAX = 10_000;

    private final Map<String, Long> until = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long keepNanos;

    UnknownNames() {
        this(System::nanoTime, KEEP);
    }

    UnknownNames(LongSupplier nanoClock, Duration keep) {
        this.nanoClock = nanoClock;
        this.keepNanos = keep.toNanos();
    }

    /** Whether the CRM said, less than {@link #KEEP} ago, that nobody has this value in this field. */
    boolean isUnknown(String field, String value) {
        String key = key(field, value);
        Long end = until.get(key);
        if (end == null) {
            return false;
        }
        if (nanoClock.getAsLong() - end >= 0) {
            until.remove(key, end);
            return false;
        }
        return true;
    }

    /** The CRM answered that nobody has this value in this field. */
    void unknown(String field, String value) {
        long now = nanoClock.getAsLong();
        if (until.size() >= MAX) {
            for (Iterator<Long> it = until.values().iterator(); it.hasNext(); ) {
                if (now - it.next() >= 0) {
                    it.remove();
                }
            }
            if (until.size() >= MAX) {
                return;
            }
        }
        until.put(key(field, value), now + keepNanos);
    }

    /** Somebody has it now (found by another lookup): forget "nobody". */
    void known(String field, String value) {
        if (value != null) {
            until.remove(key(field, value));
        }
    }

    int size() {
        return until.size();
    }

    private static String key(String field, String value) {
        return field + ":" + value.toLowerCase(Locale.ROOT);
    }
}

package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The breaker on a clock the test turns. */
class CrmBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CrmBreaker breaker = new CrmBreaker("crm", Duration.ofSeconds(10), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(breaker.allow());
            breaker.failed("down");
        }
    }

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        fail(CrmBreaker.FAILURES_TO_OPEN - 1);
        breaker.succeeded();
        fail(CrmBreaker.FAILURES_TO_OPEN - 1);
        assertFalse(breaker.isOpen(), "an answer in between starts the count again");
        fail(1);
        assertTrue(breaker.isOpen());
        assertFalse(breaker.allow(), "nothing is sent while open");
    }

    @Test
    void oneProbeAtATimeAfterTheOpenTime() {
        fail(CrmBreaker.FAILURES_TO_OPEN);
        advance(Duration.ofSeconds(9));
        assertFalse(breaker.allow());
        advance(Duration.ofSeconds(1));
        assertTrue(breaker.allow(), "the probe");
        assertFalse(breaker.allow(), "only one probe");
        assertTrue(breaker.isOpen(), "callers are still told at once while the probe runs");
        breaker.failed("still down");
        assertFalse(breaker.allow(), "a failed probe opens it for another open time");
        advance(Duration.ofSeconds(10));
        assertTrue(breaker.allow());
        breaker.succeeded();
        assertFalse(breaker.isOpen());
        assertTrue(breaker.allow());
        assertTrue(breaker.allow(), "closed: everybody");
    }

    @Test
    void aProbeThatEndsWithoutAnAnswerLetsTheNextOneProbe() {
        fail(CrmBreaker.FAILURES_TO_OPEN);
        advance(Duration.ofSeconds(10));
        assertTrue(breaker.allow());
        breaker.released();
        assertTrue(breaker.allow());
    }
}

package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class UnknownNamesTest {

    private final AtomicLong now = new AtomicLong();
    private final UnknownNames names = new UnknownNames(now::get, Duration.ofSeconds(30));

    @Test
    void keptForAShortWhileOnly() {
        assertFalse(names.isUnknown("email", "nobody@example.com"));
        names.unknown("email", "Nobody@Example.com");
        assertTrue(names.isUnknown("email", "nobody@example.com"), "without case");
        assertFalse(names.isUnknown("contact_no", "nobody@example.com"), "per field");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertFalse(names.isUnknown("email", "nobody@example.com"), "expired");
        assertEquals(0, names.size(), "and dropped");
    }

    @Test
    void boundedAndForgottenWhenFound() {
        for (int i = 0; i < UnknownNames.MAX + 50; i++) {
            names.unknown("email", "n" + i + "@example.com");
        }
        assertEquals(UnknownNames.MAX, names.size(), "at most MAX");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        names.unknown("email", "late@example.com");
        assertEquals(1, names.size(), "expired ones make room");
        names.known("email", "late@example.com");
        assertFalse(names.isUnknown("email", "late@example.com"));
    }
}

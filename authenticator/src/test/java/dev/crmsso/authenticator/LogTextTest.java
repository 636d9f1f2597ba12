package dev.crmsso.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A claim in a log line never starts a line of its own. */
class LogTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r", "\u000b", "\f", "\u0085", "\u2028", "\u2029", "\u001b[2K\r", "\t"})
    void noLineBreakSurvives(String brk) {
        String forged = "eve@acme.example" + brk + "2026-11-30 10:00:00,000 INFO  [org.keycloak.services] Added user 'admin'";
        String logged = LogText.of(forged);
        assertFalse(logged.chars().anyMatch(c -> c < 0x20 || c == 0x85 || c == 0x2028 || c == 0x2029), logged);
        assertEquals(forged.length(), logged.length(), "one character for one, nothing dropped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ann@acme.example", "Zoë Müller <z@bücher.example>"})
    void plainTextStaysAsItIs(String value) {
        assertEquals(value, LogText.of(value));
    }
}

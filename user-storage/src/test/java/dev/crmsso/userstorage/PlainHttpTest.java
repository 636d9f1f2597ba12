package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

class PlainHttpTest {

    @Test
    void httpsAndLoopbackPass() {
        assertNull(PlainHttp.refusal(URI.create("https://crm.example.com"), false));
        assertNull(PlainHttp.refusal(URI.create("http://localhost/corebos"), false));
        assertNull(PlainHttp.refusal(URI.create("http://127.0.0.1:8390"), false));
        assertNull(PlainHttp.refusal(URI.create("http://[::1]:8390"), false));
    }

    @Test
    void plainHttpToAnotherHostOnlyWhenAllowed() {
        String why = PlainHttp.refusal(URI.create("http://crm.example.com"), false);
        assertNotNull(why);
        assertTrue(why.contains("crm.example.com"), why);
        assertNotNull(PlainHttp.refusal(URI.create("http://127.0.0.1.evil.example"), false), "not loopback by name");
        assertNotNull(PlainHttp.refusal(URI.create("ftp://crm.example.com"), true));
        assertNull(PlainHttp.refusal(URI.create("http://crm.example.com"), true));
        assertTrue(PlainHttp.allowedToAnotherHost(URI.create("http://crm.example.com"), true));
        assertFalse(PlainHttp.allowedToAnotherHost(URI.create("http://localhost"), true));
    }
}

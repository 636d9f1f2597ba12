package dev.crmsso.mydbr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which parameters mappers may set, and what myDBR receives for them. */
class MydbrUserParametersTest {

    @Test
    void mappersMaySetNameEmailTelephoneAndExtrasButNotUser() {
        for (String ok : new String[] {"name", "email", "telephone", "extra1", "extra12", "extra999"}) {
            assertTrue(MydbrUserParameters.isSettable(ok), ok);
        }
        for (String no : new String[] {"user", "groups", "admin", "hash", "token", "url", "extra0", "extra", "extra1000", "Extra1", "", null}) {
            assertFalse(MydbrUserParameters.isSettable(no), String.valueOf(no));
        }
        assertThrows(IllegalArgumentException.class, () -> new MydbrUserParameters("u", "n", "e").set("hash", "x"));
    }

    @Test
    void aLaterMapperOverridesAndNullIsSentEmpty() {
        MydbrUserParameters p = new MydbrUserParameters("alice", "Alice", "alice@acme.example");
        p.set("email", "other@acme.example");
        p.set("telephone", null);
        assertEquals("other@acme.example", p.email());
        assertEquals("", p.telephone());
    }

    @Test
    void groupsFromSeveralMappersAreSentOnceInFirstSeenOrder() {
        MydbrUserParameters p = new MydbrUserParameters("alice", "Alice", "");
        p.addGroup("sales");
        p.addGroup("reports");
        p.addGroup("sales");
        assertEquals("sales|reports", p.groups());
    }
}

package dev.crmsso.mydbr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The test vectors of DESIGN.md §3 and the edges of the hash inputs. */
class MydbrSignatureTest {

    private static final String URL = "https://reports.example.com/mydbr/index.php";
    private static final String TOKEN = "7f3c9a1e5b";
    private final MydbrSignature signature = new MydbrSignature("mydbr-shared-secret");

    private static MydbrUserParameters alice() {
        MydbrUserParameters p = new MydbrUserParameters("alice@acme.example", "Alice Example", "alice@acme.example");
        p.addGroup("sales");
        p.addGroup("reports");
        p.set("telephone", "+51 1 555 0100");
        p.set("extra1", "ORG-42");
        return p;
    }

    @Test
    void requestHashMatchesTheDesignVector() {
        assertEquals("11f500c57d3a0e46ebe4fe9971e85e1ad60f5d51", signature.requestHash(URL, TOKEN));
        assertTrue(signature.verifiesRequest(URL, TOKEN, "11f500c57d3a0e46ebe4fe9971e85e1ad60f5d51"));
    }

    @Test
    void requestHashAcceptsUpperCaseHexButNothingElse() {
        assertTrue(signature.verifiesRequest(URL, TOKEN, "11F500C57D3A0E46EBE4FE9971E85E1AD60F5D51"));
        assertFalse(signature.verifiesRequest(URL, TOKEN, "11f500c57d3a0e46ebe4fe9971e85e1ad60f5d50"));
        assertFalse(signature.verifiesRequest(URL, TOKEN, ""));
        assertFalse(signature.verifiesRequest(URL, TOKEN, null));
        assertFalse(signature.verifiesRequest(URL, "7f3c9a1e5c", "11f500c57d3a0e46ebe4fe9971e85e1ad60f5d51"));
        assertFalse(new MydbrSignature("another-secret")
                .verifiesRequest(URL, TOKEN, "11f500c57d3a0e46ebe4fe9971e85e1ad60f5d51"));
    }

    @Test
    void requestHashCoversTheWholeUrlIncludingItsQueryString() {
        String withQuery = "https://reports.example.com/mydbr/index.php?a=login&x=1+2";
        assertEquals("388669f52da27f660881736906b7335b52f97128", signature.requestHash(withQuery, TOKEN));
    }

    @Test
    void responseHashMatchesTheDesignVectorWithExtras() {
        assertEquals("b47449e8110d9be83c08c9cc0fcadda1fc5312b3", signature.responseHash(alice(), TOKEN, false));
    }

    @Test
    void responseHashMatchesTheDesignVectorWithNonAsciiAndEmptyValues() {
        MydbrUserParameters jose = new MydbrUserParameters("josé", "José Pérez", null);
        jose.grantAdmin();
        assertEquals("", jose.groups());
        assertEquals("8103b7a1bc71852e39f4312f4eea38bb2ba690ee", signature.responseHash(jose, TOKEN, false));
    }

    @Test
    void legacyResponseHashLeavesOutEmailTelephoneAdminAndExtras() {
        // expected value computed outside Java: sha1("alice@acme.example" + "Alice Example" + "sales|reports" + token + secret)
        assertEquals("aaaa71455e9623e2ec31b021463f6f181ce4c3d0", signature.responseHash(alice(), TOKEN, true));
    }

    @Test
    void extrasEnterTheHashInNumberOrder() {
        MydbrUserParameters a = new MydbrUserParameters("u", "n", "e");
        a.set("extra2", "B");
        a.set("extra1", "A");
        MydbrUserParameters b = new MydbrUserParameters("u", "n", "e");
        b.set("extra1", "AB");
        assertEquals("AB", a.extras());
        assertEquals(signature.responseHash(b, TOKEN, false), signature.responseHash(a, TOKEN, false));
    }

    @Test
    void aClientWithoutSecretCannotSign() {
        assertThrows(IllegalArgumentException.class, () -> new MydbrSignature(""));
        assertThrows(IllegalArgumentException.class, () -> new MydbrSignature(null));
    }
}

package dev.crmsso.mydbr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The redirect to myDBR: values URL-encoded in the query while the hash is over the raw values. */
class MydbrRedirectTest {

    private final MydbrSignature signature = new MydbrSignature("mydbr-shared-secret");

    @Test
    void encodesPlusAmpersandSpaceAndNonAsciiInTheQueryButHashesThemRaw() {
        MydbrUserParameters p = new MydbrUserParameters("josé", "Tom & Jerry", "a+b@acme.example");
        p.set("telephone", "+51 1 555 0100");
        p.addGroup("R&D");
        p.addGroup("sales");
        String hash = signature.responseHash(p, "t1", false);

        String url = MydbrRedirect.to("https://reports.example.com/mydbr/index.php", p.asQueryParameters(false), hash).toString();

        assertEquals("https://reports.example.com/mydbr/index.php?user=jos%C3%A9&name=Tom+%26+Jerry"
                + "&groups=R%26D%7Csales&email=a%2Bb%40acme.example&telephone=%2B51+1+555+0100&admin=0&hash=" + hash, url);
        // raw values in the hash; expected value computed outside Java
        assertEquals("74eaa5c18b45e2bb84e0b5bedf7966c1e7e9c10d", hash);
    }

    @Test
    void appendsToAnExistingQueryStringAndKeepsTheFragmentLast() {
        MydbrUserParameters p = new MydbrUserParameters("bob", "Bob", "");
        assertEquals("https://r.example/index.php?a=login&user=bob&name=Bob&groups=&email=&telephone=&admin=0&hash=h#top",
                MydbrRedirect.to("https://r.example/index.php?a=login#top", p.asQueryParameters(false), "h").toString());
        assertEquals("https://r.example/index.php?user=bob&name=Bob&groups=&email=&telephone=&admin=0&hash=h",
                MydbrRedirect.to("https://r.example/index.php?", p.asQueryParameters(false), "h").toString());
    }

    @Test
    void sendsExtrasInNumberOrderAfterAdmin() {
        MydbrUserParameters p = new MydbrUserParameters("bob", "Bob", "");
        p.set("extra2", "b");
        p.set("extra1", "ORG-42");
        assertEquals("https://r.example/?user=bob&name=Bob&groups=&email=&telephone=&admin=0&extra1=ORG-42&extra2=b&hash=h",
                MydbrRedirect.to("https://r.example/", p.asQueryParameters(false), "h").toString());
    }

    /**
     * A Location header carries Latin-1 at most: the return URL goes out percent-encoded as UTF-8, so the browser asks
     * myDBR for exactly the URL that was allowed (a CJK character once arrived as '?', which starts a query).
     */
    @Test
    void aReturnUrlOutsideLatin1IsPercentEncodedSoThatNoCharacterTurnsIntoAQuery() {
        MydbrUserParameters p = new MydbrUserParameters("bob", "Bob", "");
        assertEquals("https://r.example/index.php%E5%98%8Duser=admin&admin=1&x=?user=bob&name=Bob&groups=&email=&telephone="
                        + "&admin=0&hash=h",
                MydbrRedirect.to("https://r.example/index.php\u560duser=admin&admin=1&x=", p.asQueryParameters(false), "h")
                        .toASCIIString());
        assertEquals("https://r.example/%F0%9F%93%8A/r%20a%25zz%41?user=bob",
                MydbrRedirect.ascii("https://r.example/\ud83d\udcca/r a%zz%41?user=bob").toString());
        assertEquals(MydbrRedirect.ascii("https://r.example/x").toString(), MydbrRedirect.ascii("https://r.example/x").toASCIIString());
    }

    @Test
    void dropsAGroupNameWithThePipeSeparator() {
        MydbrUserParameters p = new MydbrUserParameters("bob", "Bob", "");
        p.addGroup("sales");
        assertFalse(p.addGroup("north|south"));
        assertEquals("sales", p.groups());
    }
}

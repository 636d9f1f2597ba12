package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.crmsso.testsupport.crm.VtqlQuery;

class VtqlTest {

    @Test
    void buildsTheQueryTheCrmExpects() {
        String q = Vtql.select("Contacts", List.of("id", "email")).whereEquals("email", "alice@example.com")
                .whereEquals("portal", "1").orderBy("lastname").limit(200, 100).toString();
        assertEquals("SELECT id,email FROM Contacts WHERE email='alice@example.com' AND portal='1' "
                + "ORDER BY lastname LIMIT 200,100;", q);
        assertEquals("SELECT count(*) FROM Contacts WHERE portal='1';", Vtql.count("Contacts").whereEquals("portal", "1").toString());
    }

    @Test
    void asksForSeveralValuesInOneQueryEachValueEscaped() {
        assertEquals("SELECT id,accountname FROM Accounts WHERE id IN ('11x1','11x'' OR 1=1') LIMIT 0,2;",
                Vtql.select("Accounts", List.of("id", "accountname")).whereIn("id", List.of("11x1", "11x' OR 1=1"))
                        .limit(0, 2).toString());
        assertThrows(IllegalArgumentException.class, () -> Vtql.select("Accounts", List.of("id")).whereIn("id", List.of()));
    }

    @Test
    void doublesBackslashesThenQuotes() {
        assertEquals("'O''Brien'", Vtql.literal("O'Brien"));
        assertEquals("'\\\\'''", Vtql.literal("\\'"));
        assertEquals("'x'' OR 1=1;--'", Vtql.literal("x' OR 1=1;--"));
        assertEquals("'a\\\\\\\\b'", Vtql.literal("a\\\\b"));
    }

    /** Read back the way MySQL reads it, every attempt is one literal equal to what was typed. */
    @Test
    void injectionAttemptsStayOneLiteral() {
        for (String attempt : List.of("x' OR 1=1;--", "\\'", "\\", "' OR ''='", "a\\' OR email LIKE '%", "%", "_",
                "x'); DROP TABLE vtiger_users;--", "\\\\' OR 1=1 #", "'''")) {
            VtqlQuery parsed = VtqlQuery.parse(Vtql.select("Contacts", List.of("id")).whereEquals("email", attempt).toString());
            assertEquals(1, parsed.conditions.size(), attempt);
            assertEquals(new VtqlQuery.Condition("email", "=", List.of(attempt)), parsed.conditions.get(0), attempt);
        }
    }

    @Test
    void refusesWhatNoLiteralCanCarry() {
        assertFalse(Vtql.isWritable(""));
        assertFalse(Vtql.isWritable(null));
        assertFalse(Vtql.isWritable("a\u0000b"));
        assertFalse(Vtql.isWritable("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> Vtql.literal(""));
    }

    @Test
    void refusesAnythingButPlainFieldNames() {
        for (String bad : List.of("email;", "email OR 1", "email'", "", "1email", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> Vtql.identifier(bad), bad);
        }
        assertEquals("cf_901", Vtql.identifier("cf_901"));
    }

    @Test
    void neverAsksForMoreThanTheCrmAnswers() {
        assertThrows(IllegalArgumentException.class, () -> Vtql.count("Contacts").limit(0, 101));
        assertThrows(IllegalArgumentException.class, () -> Vtql.count("Contacts").limit(-1, 10));
    }

    @Test
    void containsSearchCannotCarryAWildcard() {
        assertEquals("SELECT id FROM Contacts WHERE (firstname LIKE '%o''b%' OR lastname LIKE '%o''b%');",
                Vtql.select("Contacts", List.of("id")).whereAnyContains(List.of("firstname", "lastname"), "o'b").toString());
        assertThrows(IllegalArgumentException.class,
                () -> Vtql.select("Contacts", List.of("id")).whereAnyContains(List.of("email"), "100%"));
    }
}

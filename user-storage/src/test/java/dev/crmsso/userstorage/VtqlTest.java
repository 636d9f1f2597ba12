package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

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

    /**
     * No parentheses ever (coreBOS's second parser breaks a doubled quote inside them): the search box's
     * alternatives are multiplied out, each with the other conditions.
     */
    @Test
    void aSearchOverSeveralFieldsIsWrittenWithoutParentheses() {
        String q = Vtql.select("Contacts", List.of("id")).whereEquals("portal", "1")
                .whereAnyContains(List.of("firstname", "lastname"), "o'b").whereEquals("title", "Buyer").toString();
        assertEquals("SELECT id FROM Contacts WHERE portal='1' AND firstname LIKE '%o''b%' AND title='Buyer'"
                + " OR portal='1' AND lastname LIKE '%o''b%' AND title='Buyer';", q);
        assertFalse(q.contains("("), q);
        VtqlQuery parsed = VtqlQuery.parse(q);
        assertFalse(parsed.secondParser, "read by coreBOS's own VTQL parser");
        assertTrue(parsed.matches(Map.of("portal", "1", "lastname", "O'Brien", "title", "Buyer")));
        assertFalse(parsed.matches(Map.of("portal", "0", "lastname", "O'Brien", "title", "Buyer")), "AND before OR");
        assertFalse(parsed.matches(Map.of("portal", "1", "firstname", "Rob", "lastname", "O'Brien")));
    }

    /** Read back as MySQL's LIKE reads it, every character of a search text is itself. */
    @Test
    void aContainsSearchFindsWildcardsAndBackslashesLiterally() {
        assertEquals("'%100\\\\%%'", Vtql.containsLiteral("100%"));
        assertEquals("'%a\\\\_b%'", Vtql.containsLiteral("a_b"));
        assertEquals("'%\\\\\\\\%'", Vtql.containsLiteral("\\"));
        assertEquals("'%O''Brien%'", Vtql.containsLiteral("O'Brien"));
        Map<String, List<String>> finds = Map.of(
                "%", List.of("Per%cent"), "_", List.of("Under_score"), "\\", List.of("Back\\slash"),
                "'", List.of("O'Brien"), "r%c", List.of("Per%cent"), "\\' OR 1=1 -- ", List.of());
        List<String> names = List.of("Per%cent", "Under_score", "Back\\slash", "O'Brien", "Percent", "Underscore");
        finds.forEach((text, expected) -> {
            VtqlQuery q = VtqlQuery.parse(Vtql.select("Contacts", List.of("id"))
                    .whereAnyContains(List.of("lastname"), text).toString());
            assertEquals(expected, names.stream().filter(n -> q.matches(Map.of("lastname", n))).toList(), text);
        });
        assertThrows(IllegalArgumentException.class, () -> Vtql.containsLiteral(""));
    }
}

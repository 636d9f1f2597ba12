package dev.crmsso.mydbr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.crmsso.testsupport.MydbrForger;

/**
 * The forgery guard against the attacker ({@link MydbrForger}): every answer the old protocol signed for these
 * users is forgeable, and the attacker proves it; with the guard, an answer is either not signed or the attacker
 * finds nothing in it.
 */
class ResplitGuardTest {

    private static final String TOKEN = "7f3c9a1e5b";
    private static final String SECRET = "mydbr-shared-secret";

    /** The realm of the examples: its usernames, myDBR's local account, and the groups a mapper can send. */
    private static final Set<String> USERNAMES = Set.of("ceo@acme.example", "ceo@acme.example.au", "con1", "con12",
            "alice@example.com", "rita@acme.example");
    private static final Set<String> LOCAL_ACCOUNTS = Set.of("admin");
    /** Groups sent by name: a CRM account, CRM group-field values, the staff domain group and the two parents. */
    private static final Set<String> NAMES = Set.of("Acme Corp", "Sales", "Support", "Finance", "staff", "crm", "acme");
    /** The same groups sent as full paths under their parents, as the shipped realm does. */
    private static final Set<String> PATHS = Set.of("/crm/Acme Corp", "/crm/Sales", "/crm/Support", "/crm/Finance",
            "/staff/acme");

    private record Case(String title, MydbrUserParameters answer, int extrasAccepted, boolean legacy, String forgeryKind,
                        Set<String> sendable) {
        Case(String title, MydbrUserParameters answer, int extrasAccepted, boolean legacy, String forgeryKind) {
            this(title, answer, extrasAccepted, legacy, forgeryKind, NAMES);
        }
    }

    private static MydbrUserParameters user(String user, String name, String email, String telephone, List<String> groups,
                                            Map<Integer, String> extras) {
        MydbrUserParameters p = new MydbrUserParameters(user, name, email);
        p.set("telephone", telephone);
        groups.forEach(p::addGroup);
        extras.forEach((n, v) -> p.set("extra" + n, v));
        return p;
    }

    /** What the old protocol signed, as the first round shipped it. */
    private static final List<Case> OLD_ANSWERS = List.of(
            new Case("the demo contact: a 1 of the telephone becomes admin=1, extras accepted",
                    user("alice@example.com", "Alice Martin", "alice@example.com", "+34 91 555 8001",
                            List.of("Acme Corp", "Sales", "Support"), Map.of(1, "11x100")), 5, false, "admin"),
            new Case("a user whose username is a prefix of another's shrinks into it",
                    user("ceo@acme.example.au", "Chief Officer", "ceo@acme.example.au", "", List.of(), Map.of()), 0, false,
                    "identity"),
            new Case("a contact number grows into the name",
                    user("CON1", "2 Smith", "", "", List.of(), Map.of()), 0, false, "identity"),
            new Case("a user whose first name holds a group's name cuts it out",
                    user("rita@acme.example", "Finance Rita", "rita@acme.example", "", List.of("acme"), Map.of()), 0, false,
                    "groups"),
            new Case("a user named admin-something becomes myDBR's local admin",
                    user("administrator@acme.example", "Ad Min", "", "", List.of(), Map.of()), 0, false, "identity"),
            new Case("extras re-split across extra1 and extra2 change the organisation",
                    user("rita@acme.example", "Rita", "rita@acme.example", "", List.of("acme"), Map.of(1, "ORG-42")), 2,
                    false, "extras"),
            new Case("an earlier flag-shaped 0 moves the start of the extras",
                    user("rita@acme.example", "Rita", "rita@acme.example", "+51 0", List.of("acme"), Map.of(1, "ORG")), 1,
                    false, "extras"));

    @Test
    void theAttackerForgesEveryAnswerTheOldProtocolSigned() {
        for (Case c : OLD_ANSWERS) {
            List<MydbrForger.Forgery> forgeries = forger(c).forge(signed(c), targets(c));
            assertTrue(forgeries.stream().anyMatch(f -> f.kind().equals(c.forgeryKind())),
                    c.title() + ": the attacker finds a " + c.forgeryKind() + " forgery, found " + forgeries);
        }
    }

    /** Sent by name, "Acme" of the account "Acme Corp" is the staff group "acme" to myDBR: the shipped realm sends paths. */
    @Test
    void groupNamesOfTwoKindsOverlapWhereTheirPathsDoNot() {
        MydbrUserParameters byName = user("5d0f61e4-7a8d-3c3f-9d7c-1b4a8f0e6a21", "Alice Martin", "alice@example.com", "",
                List.of("Acme Corp"), Map.of());
        Case c = new Case("names", byName, 0, false, "groups");
        assertEquals("groups", guard(c).check(byName).orElseThrow().field());
        assertTrue(forger(c).forge(signed(c), targets(c)).stream().anyMatch(f -> f.kind().equals("groups")));
    }

    @Test
    void theGuardRefusesToSignEachOfThem() {
        for (Case c : OLD_ANSWERS) {
            Optional<ResplitGuard.Forgery> refusal = guard(c).check(c.answer());
            assertTrue(refusal.isPresent(), c.title());
        }
    }

    @Test
    void whatTheGuardSignsTheAttackerCannotForge() {
        // the shipped set-up: user is a fixed-form id, groups go as full paths, myDBR takes no extras
        List<Case> shipped = List.of(
                new Case("the demo contact", user("5d0f61e4-7a8d-3c3f-9d7c-1b4a8f0e6a21", "Alice Martin",
                        "alice@example.com", "+34 91 555 8001", List.of("/crm/Acme Corp", "/crm/Sales", "/crm/Support"),
                        Map.of()), 0, false, null, PATHS),
                new Case("a Google staff user", user("0b7c0e2d-1f11-4f5b-8c1a-9a1d2e3f4a10", "Staff Member",
                        "rita@acme.example", "", List.of("/staff/acme"), Map.of()), 0, false, null, PATHS),
                new Case("a telephone that ends in 1", user("6a3e2b7c-21d4-4c1e-a0b1-3f2e1d0c9b81", "Tel Ends",
                        "tel@acme.example", "+51 1 555 0101", List.of(), Map.of()), 0, false, null, PATHS),
                new Case("the legacy hash signs user, name and groups only", user("rita@acme.example", "Rita",
                        "rita@acme.example", "", List.of("acme"), Map.of()), 0, true, null),
                new Case("a username with no other identity as prefix, extras accepted, nothing numeric",
                        user("rita@acme.example", "Rita", "rita@acme.example", "", List.of("acme"), Map.of(1, "ORG")), 1,
                        false, null));
        for (Case c : shipped) {
            assertEquals(Optional.empty(), guard(c).check(c.answer()), c.title() + " is signed");
            assertEquals(List.of(), forger(c).forge(signed(c), targets(c)), c.title() + ": nothing to forge");
        }
    }

    @Test
    void eachRefusalNamesTheFieldThatMakesTheAnswerForgeable() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Case c : OLD_ANSWERS) {
            fields.put(c.title(), guard(c).check(c.answer()).orElseThrow().field());
        }
        assertEquals(List.of("telephone", "user", "name", "name", "user", "extra1", "telephone"), List.copyOf(fields.values()),
                fields.toString());
    }

    @Test
    void separatorsControlCharactersAndUnsignedExtrasAreRefused() {
        assertEquals("name", check(user("u1", "A|B", "", "", List.of(), Map.of()), 0).orElseThrow().field());
        assertEquals("email", check(user("u1", "A", "a\nb@x", "", List.of(), Map.of()), 0).orElseThrow().field());
        assertEquals("extra2", check(user("u1", "A", "", "", List.of(), Map.of(2, "x")), 1).orElseThrow().field());
        assertEquals("user", check(user("", "A", "", "", List.of(), Map.of()), 0).orElseThrow().field());
    }

    @Test
    void anAdminHasNoAdminFlagToGainButStillNoOtherIdentity() {
        MydbrUserParameters admin = user("ua", "José Pérez", "", "+34 1", List.of(), Map.of());
        admin.grantAdmin();
        assertEquals(Optional.empty(), check(admin, 0));
        MydbrUserParameters another = user("con1", "2", "", "", List.of(), Map.of());
        another.grantAdmin();
        Case c = new Case("admin", another, 0, false, "identity");
        assertEquals("name", guard(c).check(another).orElseThrow().field());
    }

    @Test
    void withNoExtrasAcceptedTheFlagIsTheTailOnly() {
        // "...1" + "0" reads as 10, not 1; the same telephone with extras accepted gives admin=1
        MydbrUserParameters p = user("ua", "N", "", "+51 1", List.of(), Map.of());
        assertEquals(Optional.empty(), check(p, 0));
        assertEquals("telephone", check(p, 1).orElseThrow().field());
        // a telephone ending in "1e" makes "1e0", which PHP reads as 1
        assertEquals("telephone", check(user("ua", "N", "", "+51 1e", List.of(), Map.of()), 0).orElseThrow().field());
    }

    private static Optional<ResplitGuard.Forgery> check(MydbrUserParameters p, int extras) {
        return new ResplitGuard(new ResplitGuard.Policy(extras, false, c -> false, Set.of())).check(p);
    }

    private static ResplitGuard guard(Case c) {
        Set<String> own = c.answer().groupNames().stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return new ResplitGuard(new ResplitGuard.Policy(c.extrasAccepted(), c.legacy(),
                candidate -> identities().contains(candidate.toLowerCase(Locale.ROOT)),
                c.sendable().stream().filter(g -> !own.contains(g.toLowerCase(Locale.ROOT))).toList()));
    }

    private static MydbrForger forger(Case c) {
        return new MydbrForger(TOKEN, SECRET, c.extrasAccepted(), c.legacy());
    }

    private static MydbrForger.Targets targets(Case c) {
        return new MydbrForger.Targets(identities(),
                c.sendable().stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
    }

    private static Set<String> identities() {
        return java.util.stream.Stream.concat(USERNAMES.stream(), LOCAL_ACCOUNTS.stream()).collect(Collectors.toSet());
    }

    /** The answer as the browser receives it, signed by the protocol's own signature code. */
    private static Map<String, String> signed(Case c) {
        Map<String, String> q = new LinkedHashMap<>(c.answer().asQueryParameters(c.legacy()));
        q.put("hash", new MydbrSignature(SECRET).responseHash(c.answer(), TOKEN, c.legacy()));
        return q;
    }
}

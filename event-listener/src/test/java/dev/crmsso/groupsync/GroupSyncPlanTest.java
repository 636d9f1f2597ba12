package dev.crmsso.groupsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.crmsso.groupsync.GroupSyncPlan.Membership;

class GroupSyncPlanTest {

    private static final String GROUPS = GroupSyncConfig.GROUPS;
    private static final String ACCOUNTS = GroupSyncConfig.ACCOUNTS;

    private static Map<String, List<String>> wanted(List<String> accounts, List<String> groups) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(ACCOUNTS, accounts);
        m.put(GROUPS, groups);
        return m;
    }

    private static Membership group(String name) {
        return new Membership(GROUPS, name);
    }

    @Test
    void joinsWhatIsMissingAndLeavesWhatIsExtra() {
        GroupSyncPlan plan = GroupSyncPlan.of(wanted(List.of("Acme Corp"), List.of("sales", "reports")),
                Set.of(group("reports"), group("old")), 200);
        assertEquals(Set.of(new Membership(ACCOUNTS, "Acme Corp"), group("sales")), plan.join());
        assertEquals(Set.of(group("old")), plan.leave());
        assertEquals(List.of(), plan.rejected());
    }

    @Test
    void anAccountAndAGroupOfOneNameAreTwoGroups() {
        GroupSyncPlan plan = GroupSyncPlan.of(wanted(List.of("Finance"), List.of("Finance")), Set.of(), 200);
        assertEquals(Set.of(new Membership(ACCOUNTS, "Finance"), group("Finance")), plan.join());
    }

    @Test
    void namesCompareWithoutCaseAndSpacesAsMydbrDoes() {
        assertTrue(GroupSyncPlan.of(wanted(List.of(), List.of("SALES", " reports ")), Set.of(group("sales"), group("Reports")),
                200).changesNothing());
        assertEquals(1, GroupSyncPlan.of(wanted(List.of(), List.of("Sales", "sales")), Set.of(), 200).join().size());
    }

    @Test
    void anEmptyAttributeLeavesEveryManagedGroup() {
        assertEquals(Set.of(group("sales")), GroupSyncPlan.of(wanted(List.of(), List.of()), Set.of(group("sales")), 200).leave());
    }

    /** Twenty-odd kinds of hostile value, from the CRM's fields and account names or an IdP's claim. */
    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "   ", ".", "..", "../admin", "/admin", "/", "staff/x", "a//b", "a/../b", "sales/",
        "a/b/c/d/e/f", "~", "x~/y", "north|south", "tab\there", "new\nline", "nul\u0000", "bell\u0007",
        "rtl\u202Eevil", "zero\u200Bwidth", "bom\uFEFF", "del\u007F"})
    void hostileValuesAreRefused(String value) {
        GroupSyncPlan plan = GroupSyncPlan.of(wanted(List.of(value), List.of(value)), Set.of(), 200);
        assertEquals(Set.of(), plan.join());
        assertEquals(2, plan.rejected().size(), plan.rejected().toString());
        assertTrue(plan.rejected().stream().noneMatch(r -> r.chars().anyMatch(Character::isISOControl)),
                "the warning cannot forge a log line: " + plan.rejected());
    }

    /** Odd but harmless: a name is only a name; Keycloak and myDBR show it as text. */
    @ParameterizedTest(name = "''{0}'' is a group")
    @ValueSource(strings = {"R&D", "Ventas (Perú)", "O'Brien & Co", "<img src=x onerror=alert(1)>", "${jndi:ldap:x}",
        "%2F", "営業", "a.b", "100%"})
    void oddButHarmlessNamesAreGroups(String value) {
        assertNull(GroupSyncPlan.problem(value));
        assertEquals(Set.of(group(value)), GroupSyncPlan.of(wanted(List.of(), List.of(value)), Set.of(), 200).join());
    }

    @Test
    void aNameLongerThanKeycloaksColumnIsRefused() {
        assertNull(GroupSyncPlan.problem("x".repeat(255)));
        assertTrue(GroupSyncPlan.problem("x".repeat(256)).contains("255"));
    }

    @Test
    void oneLoginHoldsAtMostTheCapAndSaysHowManyItSkipped() {
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            flood.add("flood-" + i);
        }
        GroupSyncPlan plan = GroupSyncPlan.of(wanted(List.of("Acme"), flood), Set.of(), 50);
        assertEquals(50, plan.join().size(), "account and groups together");
        assertEquals(List.of("2951 more value(s): at most 50 groups a login"), plan.rejected());
    }

    @Test
    void groupsAlreadyHeldStayWithinTheCap() {
        GroupSyncPlan plan = GroupSyncPlan.of(wanted(List.of(), List.of("a", "b", "c")), Set.of(group("c")), 2);
        assertEquals(Set.of(group("a"), group("b")), plan.join());
        assertEquals(Set.of(group("c")), plan.leave(), "over the cap, the later value goes");
    }
}

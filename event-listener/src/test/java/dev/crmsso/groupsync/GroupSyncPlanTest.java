package dev.crmsso.groupsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GroupSyncPlanTest {

    @Test
    void joinsWhatIsMissingAndLeavesWhatIsExtra() {
        GroupSyncPlan plan = GroupSyncPlan.of(List.of("sales", "reports", "emea/peru"), Set.of("reports", "old"));
        assertEquals(Set.of("sales", "emea/peru"), plan.join());
        assertEquals(Set.of("old"), plan.leave());
        assertEquals(List.of(), plan.rejected());
    }

    @Test
    void nothingToChangeIsAnEmptyPlan() {
        assertTrue(GroupSyncPlan.of(List.of("sales", " reports "), Set.of("sales", "reports")).changesNothing());
    }

    @Test
    void anEmptyAttributeLeavesEveryManagedGroup() {
        assertEquals(Set.of("sales"), GroupSyncPlan.of(List.of(), Set.of("sales")).leave());
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "   ", "..", ".", "../admin", "/admin", "/", "a//b", "a/../b", "sales/", "a/b/c/d/e/f", "tab\there"})
    void hostileValuesAreRefused(String value) {
        GroupSyncPlan plan = GroupSyncPlan.of(List.of(value), Set.of());
        assertEquals(Set.of(), plan.join());
        assertEquals(1, plan.rejected().size(), plan.rejected().toString());
    }

    @ParameterizedTest
    @CsvSource({"sales,sales", "' sales ',sales", "emea / peru,emea/peru", "Ventas Perú,Ventas Perú"})
    void acceptedValuesAreNormalised(String value, String path) {
        assertNull(GroupSyncPlan.problem(value));
        assertEquals(Set.of(path), GroupSyncPlan.of(List.of(value), Set.of()).join());
    }

    @Test
    void aNameLongerThanKeycloakAllowsIsRefused() {
        assertTrue(GroupSyncPlan.problem("x".repeat(256)).contains("255"));
        assertNull(GroupSyncPlan.problem("x".repeat(255)));
    }

    @Test
    void thousandsOfValuesAreCapped() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add("g" + i);
        }
        GroupSyncPlan plan = GroupSyncPlan.of(many, Set.of());
        assertEquals(GroupSyncPlan.MAX_VALUES, plan.join().size());
        assertEquals(List.of("4800 more values (at most 200)"), plan.rejected());
    }
}

package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

class PortalFailuresTest {

    private static ComponentModel with(String limit) {
        ComponentModel model = new ComponentModel();
        if (limit != null) {
            model.put(CrmContactsConstants.CONFIG_PORTAL_FAILURE_LIMIT, limit);
        }
        return model;
    }

    @Test
    void theLimitIsFourUnlessSet() {
        assertEquals(4, PortalFailures.limit(with(null)));
        assertEquals(4, PortalFailures.limit(with(" ")));
        assertEquals(2, PortalFailures.limit(with("2")));
    }

    @Test
    void aLimitBelowOneOrNoNumberIsRefused() {
        for (String bad : new String[] {"0", "-1", "four", "4.5"}) {
            assertThrows(IllegalArgumentException.class, () -> PortalFailures.limit(with(bad)), bad);
        }
    }
}

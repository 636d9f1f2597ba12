package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlavourTest {

    @Test
    void theOldVtiger7ValueStaysLookupOnly() {
        // a federation saved with "vtiger7" sent no password anywhere: after an upgrade it still sends none
        assertEquals(Flavour.VTIGER_LOOKUP_ONLY, Flavour.of("vtiger7"));
        assertEquals(Flavour.PasswordCheck.NONE, Flavour.of("vtiger7").passwordCheck());
    }

    @Test
    void eachValueSaysHowPasswordsAreChecked() {
        assertEquals(Flavour.PasswordCheck.LOGIN_PORTAL, Flavour.of("corebos").passwordCheck());
        assertEquals(Flavour.PasswordCheck.PORTAL_API, Flavour.of("vtiger").passwordCheck());
        assertEquals(Flavour.PasswordCheck.NONE, Flavour.of("vtiger-lookup-only").passwordCheck());
        assertTrue(Flavour.COREBOS.crmLocksContacts());
        assertFalse(Flavour.VTIGER.crmLocksContacts(), "vtiger's portal API counts nothing and never locks");
        assertFalse(Flavour.COREBOS.getParametersInUrl());
        assertTrue(Flavour.VTIGER.getParametersInUrl() && Flavour.VTIGER_LOOKUP_ONLY.getParametersInUrl());
        assertThrows(IllegalArgumentException.class, () -> Flavour.of("vtiger8"));
    }
}

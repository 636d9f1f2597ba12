package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CrmContactTest {

    static CrmConfig config(String usernameField, String groupField, List<String> extra) {
        return new CrmConfig(URI.create("http://crm"), "admin", "key", Flavour.COREBOS, usernameField, true,
                extra, groupField, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void splitsAVtigerMultiSelect() {
        assertEquals(List.of("Sales", "Support", "EMEA"), CrmContact.multiSelect("Sales |##| Support |##| EMEA"));
        assertEquals(List.of("Sales"), CrmContact.multiSelect("Sales"));
        assertEquals(List.of(), CrmContact.multiSelect(""));
    }

    @Test
    void carriesTheAttributesTheIssueLists() {
        Map<String, String> row = Map.ofEntries(Map.entry("id", "12x8588"), Map.entry("firstname", "Alice"),
                Map.entry("lastname", "Martin"), Map.entry("email", "Alice@Example.com"), Map.entry("phone", "1"),
                Map.entry("mobile", "2"), Map.entry("account_id", "11x100"), Map.entry("contact_no", "CON8588"),
                Map.entry("portal", "1"), Map.entry("cf_901", "Sales |##| Support"), Map.entry("title", "Buyer"),
                Map.entry("createdtime", "2021-03-04 05:06:07"));
        CrmContact c = CrmContact.of(row, "Acme Corp", config("email", "cf_901", List.of("title")));
        assertEquals("alice@example.com", c.username());
        assertTrue(c.portal());
        assertEquals(List.of("Sales", "Support"), c.attributes().get("sso_groups"), "the group field only: the account is a kind of its own");
        assertEquals(List.of("Acme Corp"), c.attributes().get("crm_account"));
        assertEquals("Acme Corp", c.first("crm_account"));
        assertEquals("11x100", c.first("crm_account_id"));
        assertEquals("CON8588", c.first("contact_no"));
        assertEquals("Buyer", c.first("title"));
        assertEquals(1614834367000L, c.created(), "the CRM's createdtime, as UTC");
        assertEquals("con8588", CrmContact.of(row, null, config("contact_no", null, List.of())).username());
        assertNull(CrmContact.of(row, null, config("email", null, List.of())).attributes().get("sso_groups"));
    }

    /** The admin console shows "Invalid Date" for a user without a creation time: only a CRM time or nothing. */
    @Test
    void readsTheCrmsCreationTimeOrNone() {
        assertEquals(0L, CrmContact.epochMillis("1970-01-01 00:00:00"));
        assertNull(CrmContact.epochMillis(null));
        assertNull(CrmContact.epochMillis(""));
        assertNull(CrmContact.epochMillis("0000-00-00 00:00:00"));
        assertNull(CrmContact.epochMillis("yesterday"));
    }
}

package dev.crmsso.userstorage;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.crmsso.testsupport.crm.CrmStandIn;

/** Account names against the CRM stand-in: a failed query keeps nothing. */
class AccountNamesTest {

    private final CrmStandIn crm = CrmStandIn.start();
    private final CrmClient client = new CrmClient(new CrmConfig(URI.create(crm.url()), API_USER, ACCESS_KEY,
            Flavour.COREBOS, "email", true, List.of(), null, Duration.ofSeconds(2), Duration.ofMillis(1500)));

    @AfterEach
    void stop() {
        crm.close();
    }

    @Test
    void aFailedQueryIsNotKeptAsAnAccountWithoutAName() {
        AccountNames names = new AccountNames(client);
        client.query(Vtql.count("Contacts"));
        crm.fault(CrmStandIn.Fault.BROKEN_JSON);
        assertThrows(CrmException.class, () -> names.namesOf(List.of("11x100")));
        crm.fault(CrmStandIn.Fault.NONE);
        assertEquals(Map.of("11x100", "Acme Corp"), names.namesOf(List.of("11x100")), "asked again, named");
    }
}

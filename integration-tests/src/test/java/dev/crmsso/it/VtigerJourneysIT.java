package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.VtigerServer;
import dev.crmsso.testsupport.crm.CrmSeed;

/**
 * The customer journey on the {@code crm} realm (as imported from {@code realm-export/}) with the real vtiger 8.2 of
 * {@code ../shared/vtiger}, in Chromium: the portal password checked by vtiger's customer-portal API, then myDBR with
 * the contact's account and CRM groups. The realm's federation is pointed at vtiger (flavour {@code vtiger}) for this
 * class, as an admin would do it, and back at the stand-in afterwards.
 */
@ExtendWith(CrmSsoExtension.class)
class VtigerJourneysIT extends RealCrmJourneys {

    static VtigerServer vtiger;

    @BeforeAll
    static void realCrm(TestStack testStack) {
        stack = testStack;
        vtiger = stack.vtiger();
        CrmSeed.groups(vtiger);
        federation = RealCrmFederation.pointAt(stack, vtiger, "vtiger");
    }

    /** A CRM customer of the real vtiger: the portal password (checked by vtiger), then myDBR with the account. */
    @Test
    void aCustomerOfTheRealVtigerSignsInWithThePortalPasswordAndMydbrGetsTheAccountAndGroups() throws Exception {
        int mark = vtiger.loggedRequests().size();
        journey = new BrowserJourney("en");
        journey.customerToMydbr(stack, CrmSeed.ALICE, "vtiger-customer");
        assertEquals(1, vtiger.loggedRequestsSince(mark).stream()
                .filter(r -> r.equals("POST /modules/CustomerPortal/api.php")).count(), "one password check by vtiger");
    }
}

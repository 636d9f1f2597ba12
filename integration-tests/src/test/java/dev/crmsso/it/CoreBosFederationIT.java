package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.crmsso.testsupport.CoreBosServer;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CoreBosSeed;
import dev.crmsso.testsupport.crm.CrmSeed;
import dev.crmsso.testsupport.crm.CrmStandIn;

/**
 * The {@link CrmContactsContract} against the real coreBOS of {@code ../shared/corebos} (started once per test run
 * by the {@link TestStack}): its seeded contacts (Alice, Dan O'Brien, Carol whose support ended, Bob without portal
 * access), and what the test run adds through its web service: the group field, the contacts whose names carry
 * {@code %}, {@code _}, a backslash, and 120 contacts to page through. At most one wrong password per contact: the
 * CRM locks a contact for good after 5.
 */
@ExtendWith(CrmSsoExtension.class)
class CoreBosFederationIT extends CrmContactsContract {

    static final String REALM = "corebos-federation-it";

    static CoreBosServer corebos;

    CoreBosFederationIT() {
        super(REALM);
    }

    @BeforeAll
    static void realmWithFederation() {
        corebos = stack.corebos();
        CrmSeed.groups(corebos);
        CoreBosSeed.contacts(corebos, CrmSeed.contractContacts());
        RealmResource realm = createRealm(stack.keycloak(), REALM);
        save(stack.keycloak(), realm, federation(realm, "crm", corebos.url(), corebos.apiUser(), corebos.accessKey(),
                CrmSeed.GROUP_FIELD, true));
    }

    /**
     * coreBOS's loginPortal finds the contact by its portal row's user name ({@code vtws_loginportal}: {@code user_name=?},
     * exactly one row) and answers with that row's contact ({@code user.contactid}); the user name need not be the
     * contact's email (a row renamed by hand, an import). With Dan's portal row named like Alice's email, and Alice's
     * row named otherwise, coreBOS accepts Dan's password for "alice@example.com", as Dan. The federation looked Alice
     * up, so that answer is not Alice's password: refused, and the next login of Alice asks for a new challenge.
     */
    @Test
    void aPasswordTheCrmAcceptsForAnotherContactWithThatPortalUserNameIsRefused() throws Exception {
        String alice = CrmSeed.ALICE.email();
        String aliceBefore = CrmSeed.portalUserName(corebos, alice, "alice-renamed@example.com");
        String danBefore = CrmSeed.portalUserName(corebos, CrmSeed.DAN.email(), alice);
        try {
            String token = corebos.webService().send("GET", Map.of("operation", "getchallenge", "username", alice))
                    .path("token").asText();
            JsonNode crmSays = corebos.webService().send("POST", Map.of("operation", "loginPortal", "username", alice,
                    "password", CrmStandIn.md5(token + CrmSeed.DAN.password())));
            String danId = CrmSeed.id(corebos.webService(), CrmSeed.DAN.email());
            assertEquals(danId, crmSays.path("user").path("contactid").asText(),
                    "the CRM accepts Dan's password for Alice's email, as Dan: " + crmSays);

            // twice: the first try may carry a challenge Keycloak still holds for Alice's own row, which coreBOS
            // refuses for Dan's; after a refusal Keycloak asks for a new one, as an attacker's second try would get
            for (int attempt = 1; attempt <= 2; attempt++) {
                Login login = signIn(alice, CrmSeed.DAN.password());
                assertTrue(login.text().contains(MSG_INVALID), "try " + attempt + ": not signed in as Alice: " + login.text());
            }
            assertTrue(keycloak().log().contains("CRM contacts crm: " + alice + ": the CRM's portal accepted the password "
                    + "for another contact sharing this portal user name, not " + CrmSeed.id(corebos.webService(), alice)),
                    "one log line for the admin");
        } finally {
            CrmSeed.portalUserName(corebos, CrmSeed.DAN.email(), danBefore);
            CrmSeed.portalUserName(corebos, alice, aliceBefore);
            clearBruteForce(alice);
        }
        assertNotNull(signIn(alice, CrmSeed.ALICE.password()).code(), "Alice's own password still works, at once");
    }

    // the contract's CRM: the real coreBOS and its seeded contacts

    @Override
    CrmUnderTest underTest() {
        return new CrmUnderTest(corebos.url(), corebos.apiUser(), corebos.accessKey(), CrmSeed.GROUP_FIELD,
                CrmSeed.ALICE, CrmSeed.DAN, CrmSeed.CAROL, CrmSeed.BOB, CrmSeed.PAGER, CrmSeed.PAGERS,
                email -> CrmSeed.contactNo(corebos.webService(), email), email -> CoreBosSeed.failures(corebos, email),
                "corebos");
    }
}

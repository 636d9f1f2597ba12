package dev.crmsso.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;

import dev.crmsso.testsupport.CoreBosServer;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CoreBosSeed;
import dev.crmsso.testsupport.crm.CrmSeed;

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

    // the contract's CRM: the real coreBOS and its seeded contacts

    @Override
    CrmUnderTest underTest() {
        return new CrmUnderTest(corebos.url(), corebos.apiUser(), corebos.accessKey(), CrmSeed.GROUP_FIELD,
                CrmSeed.ALICE, CrmSeed.DAN, CrmSeed.CAROL, CrmSeed.BOB, CrmSeed.PAGER, CrmSeed.PAGERS,
                email -> CrmSeed.contactNo(corebos.webService(), email), email -> CoreBosSeed.failures(corebos, email),
                "corebos");
    }
}

package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ComponentRepresentation;

import dev.crmsso.testsupport.PhpCrmServer;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CrmSeed;
import dev.crmsso.testsupport.crm.SampleCrm;

/**
 * The {@code crm} realm's CRM federation pointed at a real CRM for the journeys of one test class, as an admin would
 * do it (saved with its connection test, user cache cleared), and back at the stand-in afterwards.
 */
final class RealCrmFederation {

    private final TestStack stack;
    /** The federation as the realm file made it (the stand-in). */
    private final ComponentRepresentation standIn;

    private RealCrmFederation(TestStack stack, ComponentRepresentation standIn) {
        this.stack = stack;
        this.standIn = standIn;
    }

    /** Points the federation at this CRM, with this flavour and the seeds' group field. */
    static RealCrmFederation pointAt(TestStack stack, PhpCrmServer crm, String flavour) {
        RealmResource realm = realm(stack);
        ComponentRepresentation federation = realm.components().query(realm.toRepresentation().getId(),
                "org.keycloak.storage.UserStorageProvider").stream().filter(c -> c.getName().equals("crm"))
                .findFirst().orElseThrow();
        ComponentRepresentation standIn = realm.components().component(federation.getId()).toRepresentation();
        federation.getConfig().putSingle("crmUrl", crm.url());
        federation.getConfig().putSingle("apiUser", crm.apiUser());
        federation.getConfig().putSingle("accessKey", crm.accessKey());
        federation.getConfig().putSingle("groupField", CrmSeed.GROUP_FIELD);
        federation.getConfig().putSingle("flavour", flavour);
        realm.components().component(federation.getId()).update(federation);
        assertTrue(stack.keycloak().log().contains("CRM contacts crm: test connection to " + crm.url()),
                "the federation now speaks to the real CRM");
        realm.clearUserCache();
        return new RealCrmFederation(stack, standIn);
    }

    void backToTheStandIn() {
        RealmResource realm = realm(stack);
        // the admin API shows the access key masked: give the stand-in's back
        standIn.getConfig().putSingle("accessKey", SampleCrm.ACCESS_KEY);
        realm.components().component(standIn.getId()).update(standIn);
        realm.clearUserCache();
    }

    private static RealmResource realm(TestStack stack) {
        return stack.keycloak().admin().realm(BrowserJourney.REALM);
    }
}

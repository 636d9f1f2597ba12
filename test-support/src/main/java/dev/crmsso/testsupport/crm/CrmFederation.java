package dev.crmsso.testsupport.crm;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

/** A "CRM contacts" user federation pointed at the stand-in, as an admin would save it. */
public final class CrmFederation {

    private CrmFederation() {
    }

    /**
     * The federation's representation for the admin REST API: coreBOS flavour, contacts log in
     * with their email, portal contacts only, the sample CRM's group field, Keycloak's default
     * cache policy. Callers may change its config before saving it.
     */
    public static ComponentRepresentation of(String name, String realmId, CrmStandIn crm, String accessKey,
            boolean enabled) {
        ComponentRepresentation c = new ComponentRepresentation();
        c.setName(name);
        c.setProviderId("crm-contacts");
        c.setProviderType("org.keycloak.storage.UserStorageProvider");
        c.setParentId(realmId);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle("crmUrl", crm.url());
        config.putSingle("apiUser", SampleCrm.API_USER);
        config.putSingle("accessKey", accessKey);
        config.putSingle("flavour", "corebos");
        config.putSingle("usernameField", "email");
        config.putSingle("portalOnly", "true");
        config.putSingle("groupField", SampleCrm.GROUP_FIELD);
        config.putSingle("cachePolicy", "DEFAULT");
        config.putSingle("enabled", String.valueOf(enabled));
        c.setConfig(config);
        return c;
    }
}

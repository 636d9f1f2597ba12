package dev.crmsso.testsupport.crm;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

/** A "CRM contacts" user federation pointed at the stand-in or the real coreBOS, as an admin would save it. */
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
        return of(name, realmId, crm.url(), SampleCrm.API_USER, accessKey, SampleCrm.GROUP_FIELD, enabled);
    }

    /** The same for any coreBOS: its base URL, API user, access key and group field. */
    public static ComponentRepresentation of(String name, String realmId, String crmUrl, String apiUser, String accessKey,
            String groupField, boolean enabled) {
        ComponentRepresentation c = new ComponentRepresentation();
        c.setName(name);
        c.setProviderId("crm-contacts");
        c.setProviderType("org.keycloak.storage.UserStorageProvider");
        c.setParentId(realmId);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle("crmUrl", crmUrl);
        config.putSingle("apiUser", apiUser);
        config.putSingle("accessKey", accessKey);
        config.putSingle("flavour", "corebos");
        config.putSingle("usernameField", "email");
        config.putSingle("portalOnly", "true");
        config.putSingle("groupField", groupField);
        config.putSingle("cachePolicy", "DEFAULT");
        config.putSingle("enabled", String.valueOf(enabled));
        c.setConfig(config);
        return c;
    }
}

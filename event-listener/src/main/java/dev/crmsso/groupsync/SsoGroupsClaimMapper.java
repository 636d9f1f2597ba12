package dev.crmsso.groupsync;

import java.util.Collection;
import java.util.List;

import org.keycloak.broker.oidc.mappers.AbstractClaimMapper;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import com.google.auto.service.AutoService;

/**
 * "Claim → sso_groups": copies a multi-valued claim of the IdP's token or user info (Entra ID's
 * {@code groups}, say) into the user attribute the group sync reads, at every login.
 */
@AutoService(IdentityProviderMapper.class)
public final class SsoGroupsClaimMapper extends AbstractIdentityProviderMapper {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(SsoGroupsClaimMapper.class);

    public static final String PROVIDER_ID = "crm-sso-groups-claim-mapper";
    static final String CLAIM = "claim";
    static final String ATTRIBUTE = "attribute";

    /**
     * Labels and help texts are message keys of this JAR's theme-resources/messages (en, es, pt, fr, de): Keycloak
     * 26.7's admin console shows them through its translator, {@code t(label)} and {@code t(helpText)} in every
     * component of components/dynamic, and merges a provider JAR's theme messages into the admin theme's. The
     * option values of a list are shown as they are, so they stay plain.
     */
    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(CLAIM).label("crmSsoGroupsClaimName").type(ProviderConfigProperty.STRING_TYPE).defaultValue("groups")
            .helpText("crmSsoGroupsClaimNameHelp").add()
            .property().name(ATTRIBUTE).label("crmSsoGroupsClaimAttribute").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(GroupSyncConfig.DEFAULT_ATTRIBUTE)
            .helpText("crmSsoGroupsClaimAttributeHelp").add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return new String[] {ANY_PROVIDER};
    }

    @Override
    public String getDisplayCategory() {
        return "Attribute Importer";
    }

    @Override
    public String getDisplayType() {
        return "CRM SSO: claim to sso_groups";
    }

    @Override
    public String getHelpText() {
        return "Copies a multi-valued claim into the user attribute that crm-group-sync turns into groups.";
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user,
            IdentityProviderMapperModel mapper, BrokeredIdentityContext context) {
        copy(user, mapper, context);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user,
            IdentityProviderMapperModel mapper, BrokeredIdentityContext context) {
        copy(user, mapper, context);
    }

    private static void copy(UserModel user, IdentityProviderMapperModel mapper, BrokeredIdentityContext context) {
        String claim = mapper.getConfig().getOrDefault(CLAIM, "groups");
        String attribute = mapper.getConfig().getOrDefault(ATTRIBUTE, GroupSyncConfig.DEFAULT_ATTRIBUTE);
        List<String> values = values(AbstractClaimMapper.getClaimValue(context, claim));
        if (!values.equals(user.getAttributeStream(attribute).toList())) {
            user.setAttribute(attribute, values);
        }
    }

    /**
     * A claim as a list of strings: an array's string elements, or a single string; none when absent. Anything else
     * (a number, a boolean, an object, a nested array) names no group: it is skipped with a warning rather than
     * turned into a group called {@code 3}, {@code true} or {@code {a=b}}.
     */
    static List<String> values(Object claim) {
        List<Object> items = new java.util.ArrayList<>();
        if (claim instanceof Collection<?> list) {
            items.addAll(list);
        } else if (claim instanceof com.fasterxml.jackson.databind.JsonNode node && node.isArray()) {
            node.forEach(items::add);
        } else if (claim != null) {
            items.add(claim);
        }
        List<String> out = new java.util.ArrayList<>();
        int skipped = 0;
        for (Object item : items) {
            if (item instanceof String text) {
                out.add(text);
            } else if (item instanceof com.fasterxml.jackson.databind.JsonNode node && node.isTextual()) {
                out.add(node.textValue());
            } else if (item != null) {
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warnf("%s: skipped %d value(s) of the claim that are not strings", PROVIDER_ID, skipped);
        }
        return out;
    }
}

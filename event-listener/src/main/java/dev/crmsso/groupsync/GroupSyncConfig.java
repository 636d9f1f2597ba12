package dev.crmsso.groupsync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The listener's server options ({@code --spi-events-listener-crm-group-sync-<name>} or
 * {@code KC_SPI_EVENTS_LISTENER_CRM_GROUP_SYNC_<NAME>}), shared by every realm that enables it.
 *
 * @param parentGroup the managed parent: every membership below it is the sync's, none outside
 * @param kinds       container name below the parent → the user attribute whose values name its groups
 * @param createGroups whether missing groups are created
 * @param maxGroups   how many groups one login may hold below the parent
 */
record GroupSyncConfig(String parentGroup, Map<String, String> kinds, boolean createGroups, int maxGroups) {

    static final String PROVIDER_ID = "crm-group-sync";
    static final String PARENT_GROUP = "parent-group";
    static final String ATTRIBUTE = "attribute";
    static final String ACCOUNT_ATTRIBUTE = "account-attribute";
    static final String CREATE_GROUPS = "create-groups";
    static final String MAX_GROUPS = "max-groups";
    static final String DEFAULT_PARENT = "/crm";
    static final String DEFAULT_ATTRIBUTE = "sso_groups";
    static final String DEFAULT_ACCOUNT_ATTRIBUTE = "crm_account";
    /** The containers below the parent: one per kind, so that an account and a group of one name stay two groups. */
    static final String GROUPS = "groups";
    static final String ACCOUNTS = "accounts";
    /**
     * A CRM contact has a few groups, a staff member tens; each new group costs a transaction of its own, so a first
     * login that creates all of them stays around a second. Raise it for IdPs that send more (Entra ID sends up to
     * 200 before it switches to an overage claim).
     */
    static final int DEFAULT_MAX_GROUPS = 50;

    static final List<ProviderConfigProperty> METADATA = ProviderConfigurationBuilder.create()
            .property().name(PARENT_GROUP).type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_PARENT)
            .helpText("The managed parent group: the sync only ever touches memberships below it. Its containers "
                    + GROUPS + " and " + ACCOUNTS + " hold the two kinds of groups.").add()
            .property().name(ATTRIBUTE).type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_ATTRIBUTE)
            .helpText("The multi-valued user attribute naming the wanted groups (CRM group field, IdP claim): each value "
                    + "is one group of <parent>/" + GROUPS + ".").add()
            .property().name(ACCOUNT_ATTRIBUTE).type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_ACCOUNT_ATTRIBUTE)
            .helpText("The user attribute naming the user's CRM account: one group of <parent>/" + ACCOUNTS + ".").add()
            .property().name(CREATE_GROUPS).type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
            .helpText("Create wanted groups that do not exist yet.").add()
            .property().name(MAX_GROUPS).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_MAX_GROUPS)
            .helpText("How many groups below the parent one login may hold; further values are skipped with a warning.")
            .add()
            .build();

    static GroupSyncConfig from(Config.Scope scope) {
        String parent = scope.get(PARENT_GROUP, DEFAULT_PARENT).strip();
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put(ACCOUNTS, scope.get(ACCOUNT_ATTRIBUTE, DEFAULT_ACCOUNT_ATTRIBUTE).strip());
        kinds.put(GROUPS, scope.get(ATTRIBUTE, DEFAULT_ATTRIBUTE).strip());
        return new GroupSyncConfig(parent.startsWith("/") ? parent : "/" + parent, java.util.Collections.unmodifiableMap(kinds),
                scope.getBoolean(CREATE_GROUPS, true), Math.max(0, scope.getInt(MAX_GROUPS, DEFAULT_MAX_GROUPS)));
    }
}

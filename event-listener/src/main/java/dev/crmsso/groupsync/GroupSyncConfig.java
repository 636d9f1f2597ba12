package dev.crmsso.groupsync;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The listener's server options ({@code --spi-events-listener-crm-group-sync-<name>} or
 * {@code KC_SPI_EVENTS_LISTENER_CRM_GROUP_SYNC_<NAME>}), shared by every realm that enables it.
 */
record GroupSyncConfig(String parentGroup, String attribute, boolean createGroups) {

    static final String PROVIDER_ID = "crm-group-sync";
    static final String PARENT_GROUP = "parent-group";
    static final String ATTRIBUTE = "attribute";
    static final String CREATE_GROUPS = "create-groups";
    static final String DEFAULT_PARENT = "/crm";
    static final String DEFAULT_ATTRIBUTE = "sso_groups";

    static final List<ProviderConfigProperty> METADATA = ProviderConfigurationBuilder.create()
            .property().name(PARENT_GROUP).type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_PARENT)
            .helpText("The managed parent group: the sync only ever touches memberships below it.").add()
            .property().name(ATTRIBUTE).type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_ATTRIBUTE)
            .helpText("The multi-valued user attribute naming the wanted groups (a value may be a path a/b below the parent).")
            .add()
            .property().name(CREATE_GROUPS).type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
            .helpText("Create wanted groups that do not exist yet.").add()
            .build();

    static GroupSyncConfig from(Config.Scope scope) {
        String parent = scope.get(PARENT_GROUP, DEFAULT_PARENT).strip();
        return new GroupSyncConfig(parent.startsWith("/") ? parent : "/" + parent,
                scope.get(ATTRIBUTE, DEFAULT_ATTRIBUTE).strip(), scope.getBoolean(CREATE_GROUPS, true));
    }
}

package dev.crmsso.groupsync;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

/**
 * Registers the sync's early hook as required action {@code crm-group-sync} (Authentication →
 * Required actions: enabled, not a default action). It reads the event listener's options, so the
 * sync has one configuration.
 */
@AutoService(RequiredActionFactory.class)
public final class GroupSyncRequiredActionFactory implements RequiredActionFactory {

    private GroupSync sync;

    @Override
    public String getId() {
        return GroupSyncConfig.PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "CRM group sync (runs at every login, never shown to users)";
    }

    /**
     * No settings in the admin console: the sync is configured once, by the event listener's SPI options (see
     * README-groupsync.md), and it never asks the user anything, so Keycloak's default "Maximum Age of
     * Authentication" means nothing here. An empty list makes {@code isConfigurable()} false (Keycloak 26.7's
     * {@code RequiredActionFactory}), and the console shows no gear for it.
     */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
    }

    @Override
    public void init(Config.Scope scope) {
        sync = new GroupSync(GroupSyncConfig.from(Config.scope("eventsListener", GroupSyncConfig.PROVIDER_ID)));
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new GroupSyncRequiredAction(sync);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}

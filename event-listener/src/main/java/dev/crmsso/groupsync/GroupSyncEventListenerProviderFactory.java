package dev.crmsso.groupsync;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

/** {@code crm-group-sync}: enable per realm in Realm settings → Events → Event listeners. */
@AutoService(EventListenerProviderFactory.class)
public final class GroupSyncEventListenerProviderFactory implements EventListenerProviderFactory {

    private GroupSync sync;

    @Override
    public String getId() {
        return GroupSyncConfig.PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope scope) {
        sync = new GroupSync(GroupSyncConfig.from(scope));
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new GroupSyncEventListenerProvider(session, sync);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return GroupSyncConfig.METADATA;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}

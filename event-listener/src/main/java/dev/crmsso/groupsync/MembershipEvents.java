package dev.crmsso.groupsync;

import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.util.JsonSerialization;

/**
 * Writes what the sync changed as admin events, the way the admin console's own changes are
 * written (store, then the realm's event listeners), so admins see it under Events → Admin events.
 * Keycloak's AdminEventBuilder needs an admin's token, which a login does not have.
 */
final class MembershipEvents {

    static final String DETAIL_SOURCE = "source";

    private static final Logger LOG = Logger.getLogger(MembershipEvents.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;
    private final String ipAddress;

    MembershipEvents(KeycloakSession session, RealmModel realm, UserModel user, String ipAddress) {
        this.session = session;
        this.realm = realm;
        this.user = user;
        this.ipAddress = ipAddress;
    }

    void record(OperationType operation, GroupModel group) {
        send(operation, ResourceType.GROUP_MEMBERSHIP, "users/" + user.getId() + "/groups/" + group.getId(), group);
    }

    void groupCreated(GroupModel group) {
        send(OperationType.CREATE, ResourceType.GROUP, "groups/" + group.getId(), group);
    }

    private void send(OperationType operation, ResourceType type, String path, GroupModel group) {
        if (!realm.isAdminEventsEnabled()) {
            return;
        }
        AdminEvent event = new AdminEvent();
        event.setTime(System.currentTimeMillis());
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        auth.setUserId(user.getId());
        auth.setIpAddress(ipAddress);
        event.setAuthDetails(auth);
        event.setOperationType(operation);
        event.setResourceType(type);
        event.setResourcePath(path);
        event.setDetails(Map.of(DETAIL_SOURCE, GroupSyncConfig.PROVIDER_ID));
        boolean withRepresentation = realm.isAdminEventsDetailsEnabled();
        if (withRepresentation) {
            try {
                event.setRepresentation(JsonSerialization.writeValueAsString(ModelToRepresentation.toRepresentation(group, false)));
            } catch (java.io.IOException e) {
                LOG.debugf(e, "no representation for group %s", group.getId());
            }
        }
        EventStoreProvider store = session.getProvider(EventStoreProvider.class);
        if (store != null) {
            store.onEvent(event, withRepresentation);
        }
        realm.getEventsListenersStream().filter(id -> !id.equals(GroupSyncConfig.PROVIDER_ID))
                .map(id -> session.getProvider(EventListenerProvider.class, id)).filter(java.util.Objects::nonNull)
                .forEach(listener -> listener.onEvent(event, withRepresentation));
    }
}

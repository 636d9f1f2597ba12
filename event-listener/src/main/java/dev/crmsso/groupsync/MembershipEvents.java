package dev.crmsso.groupsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.util.JsonSerialization;

/**
 * Writes what the sync changed as admin events, the way the admin console's own changes are written (store, then the
 * realm's event listeners), so admins see it under Events → Admin events. The change is the system's, not the
 * user's: the events name no user and no address as their author ({@code authDetails.clientId} is
 * {@value GroupSyncConfig#PROVIDER_ID}), and their details say whose login triggered them. They are sent once the
 * login's transaction has committed, in a transaction of their own: an event store or listener that fails costs
 * a warning, never the login.
 */
final class MembershipEvents {

    static final String DETAIL_SOURCE = "source";
    static final String DETAIL_LOGIN_OF = "login_of";

    private static final Logger LOG = Logger.getLogger(MembershipEvents.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;
    private final List<AdminEvent> pending = new ArrayList<>();

    MembershipEvents(KeycloakSession session, RealmModel realm, UserModel user) {
        this.session = session;
        this.realm = realm;
        this.user = user;
    }

    void record(OperationType operation, GroupModel group) {
        add(operation, ResourceType.GROUP_MEMBERSHIP, "users/" + user.getId() + "/groups/" + group.getId(), group);
    }

    void groupCreated(GroupModel group) {
        add(OperationType.CREATE, ResourceType.GROUP, "groups/" + group.getId(), group);
    }

    private void add(OperationType operation, ResourceType type, String path, GroupModel group) {
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
        auth.setClientId(GroupSyncConfig.PROVIDER_ID);
        event.setAuthDetails(auth);
        event.setOperationType(operation);
        event.setResourceType(type);
        event.setResourcePath(path);
        event.setDetails(Map.of(DETAIL_SOURCE, GroupSyncConfig.PROVIDER_ID, DETAIL_LOGIN_OF, user.getId()));
        if (realm.isAdminEventsDetailsEnabled()) {
            try {
                event.setRepresentation(JsonSerialization.writeValueAsString(ModelToRepresentation.toRepresentation(group, false)));
            } catch (java.io.IOException e) {
                LOG.debugf(e, "no representation for group %s", group.getId());
            }
        }
        pending.add(event);
    }

    /** Sends the recorded events after the login's transaction commits (none if it rolls back). */
    void sendAfterCommit() {
        if (pending.isEmpty()) {
            return;
        }
        List<AdminEvent> events = List.copyOf(pending);
        pending.clear();
        boolean withRepresentation = realm.isAdminEventsDetailsEnabled();
        String realmId = realm.getId();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> send(s, realmId, events,
                            withRepresentation));
                } catch (RuntimeException e) {
                    LOG.warnf(e, "%s: %d admin event(s) of the group sync not stored", GroupSyncConfig.PROVIDER_ID,
                            events.size());
                }
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    private static void send(KeycloakSession s, String realmId, List<AdminEvent> events, boolean withRepresentation) {
        RealmModel realm = s.realms().getRealm(realmId);
        EventStoreProvider store = s.getProvider(EventStoreProvider.class);
        for (AdminEvent event : events) {
            if (store != null) {
                store.onEvent(event, withRepresentation);
            }
            realm.getEventsListenersStream().filter(id -> !id.equals(GroupSyncConfig.PROVIDER_ID))
                    .map(id -> s.getProvider(EventListenerProvider.class, id)).filter(java.util.Objects::nonNull)
                    .forEach(listener -> {
                        try {
                            listener.onEvent(event, withRepresentation);
                        } catch (RuntimeException e) {
                            LOG.warnf(e, "%s: event listener %s failed on an admin event", GroupSyncConfig.PROVIDER_ID,
                                    listener.getClass().getName());
                        }
                    });
        }
    }
}

package dev.crmsso.groupsync;

import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * On every successful login, syncs the user's groups. Keycloak hands a success event to its
 * listeners synchronously, in the login request's own session and transaction, after the
 * authentication flow and before the login protocol builds its response: the token or myDBR
 * redirect of that very login already carries the new groups.
 */
final class GroupSyncEventListenerProvider implements EventListenerProvider {

    private final KeycloakSession session;
    private final GroupSync sync;

    GroupSyncEventListenerProvider(KeycloakSession session, GroupSync sync) {
        this.session = session;
        this.sync = sync;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() != EventType.LOGIN || event.getUserId() == null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserModel user = realm == null ? null : session.users().getUserById(realm, event.getUserId());
        if (user != null) {
            sync.applyOnce(session, realm, user);
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        // the sync follows logins only
    }

    @Override
    public void close() {
    }
}

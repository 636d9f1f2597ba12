package dev.crmsso.mydbr.endpoints;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.core.Response;

import org.keycloak.common.ClientConnection;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

import dev.crmsso.mydbr.MydbrClient;
import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrLoginProtocol;
import dev.crmsso.mydbr.MydbrPages;

/**
 * {@code GET .../protocol/mydbr/logout?url=U}: ends the Keycloak session with Keycloak's own browser logout
 * (which logs the user out of the realm's other clients too), then goes to {@code U} only if it is a valid
 * redirect URI of an enabled myDBR client, else to the logged-out page. No open redirect.
 */
public class MydbrLogoutEndpoint {

    private final KeycloakSession session;
    private final EventBuilder event;

    public MydbrLogoutEndpoint(KeycloakSession session, EventBuilder event) {
        this.session = session;
        this.event = event;
    }

    @GET
    public Response logout() {
        RealmModel realm = session.getContext().getRealm();
        String url = session.getContext().getUri().getQueryParameters().getFirst(MydbrConstants.PARAM_URL);
        String allowed = url != null && MydbrClient.allOf(realm)
                .anyMatch(c -> c.model().isEnabled() && c.allowsUrl(session, url)) ? url : null;
        if (url != null && allowed == null) {
            event.event(EventType.LOGOUT_ERROR).detail(Details.REDIRECT_URI, url).error(Errors.INVALID_REDIRECT_URI);
        }

        AuthenticationManager.AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, false);
        if (auth != null) {
            UserSessionModel userSession = auth.session();
            userSession.setNote(AuthenticationManager.KEYCLOAK_LOGOUT_PROTOCOL, MydbrConstants.PROTOCOL);
            if (allowed != null) {
                userSession.setNote(MydbrLoginProtocol.LOGOUT_REDIRECT_URI, allowed);
            }
            ClientConnection connection = session.getContext().getConnection();
            return AuthenticationManager.browserLogout(session, realm, userSession, session.getContext().getUri(),
                    connection, session.getContext().getRequestHeaders());
        }
        if (allowed != null) {
            return Response.status(Response.Status.FOUND).location(URI.create(allowed)).build();
        }
        return MydbrPages.loggedOut(session);
    }
}

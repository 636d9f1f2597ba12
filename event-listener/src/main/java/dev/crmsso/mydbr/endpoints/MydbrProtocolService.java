package dev.crmsso.mydbr.endpoints;

import jakarta.ws.rs.Path;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;

/** {@code /realms/{realm}/protocol/mydbr}: the SSO login myDBR redirects to, and logout. */
public class MydbrProtocolService {

    private final KeycloakSession session;
    private final EventBuilder event;

    public MydbrProtocolService(KeycloakSession session, EventBuilder event) {
        this.session = session;
        this.event = event;
    }

    @Path("login")
    public MydbrLoginEndpoint login() {
        return new MydbrLoginEndpoint(session, event);
    }

    @Path("logout")
    public MydbrLogoutEndpoint logout() {
        return new MydbrLogoutEndpoint(session, event);
    }
}

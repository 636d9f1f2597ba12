package dev.crmsso.testsupport;

import java.util.List;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * An OIDC web application of a test realm: a public client whose redirect URI is a static page of
 * Keycloak itself, so a finished login rests at a URL carrying the authorization code (no
 * single-page app that navigates on its own).
 */
public final class TestApp {

    public static final String CLIENT_ID = "test-app";

    private TestApp() {
    }

    /** Creates the client (once) and returns its redirect URI. */
    public static String ensure(KeycloakServer keycloak, String realm) {
        String redirect = redirectUri(keycloak, realm);
        RealmResource r = keycloak.admin().realm(realm);
        if (r.clients().findByClientId(CLIENT_ID).isEmpty()) {
            ClientRepresentation app = new ClientRepresentation();
            app.setClientId(CLIENT_ID);
            app.setPublicClient(true);
            app.setStandardFlowEnabled(true);
            app.setRedirectUris(List.of(redirect));
            r.clients().create(app).close();
        }
        return redirect;
    }

    public static String redirectUri(KeycloakServer keycloak, String realm) {
        return keycloak.realmUrl(realm) + "/.well-known/openid-configuration";
    }

    /** The app's authorization request. */
    public static String loginUrl(KeycloakServer keycloak, String realm) {
        return keycloak.realmUrl(realm) + "/protocol/openid-connect/auth?client_id=" + CLIENT_ID
                + "&response_type=code&scope=openid&redirect_uri="
                + java.net.URLEncoder.encode(ensure(keycloak, realm), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether a browser URL is the app receiving an authorization code: the login finished. */
    public static boolean receivedCode(KeycloakServer keycloak, String realm, String url) {
        return url.startsWith(redirectUri(keycloak, realm) + "?") && url.contains("code=");
    }
}

package dev.crmsso.testsupport;

import java.util.List;
import java.util.Map;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * Generic OIDC IdPs ({@code google}, {@code microsoft}) pointing at the OIDC stand-in, the way
 * the tests stand in for Google and Microsoft (Keycloak's built-in providers have fixed endpoints).
 */
public final class StandInIdps {

    private StandInIdps() {
    }

    /** The client id Keycloak uses at the stand-in for an IdP alias; the id token's audience. */
    public static String clientId(String alias) {
        return "it-" + alias;
    }

    public static IdentityProviderRepresentation add(RealmResource realm, MockOAuth2Server oidc, String alias) {
        String issuer = oidc.issuerUrl(alias).toString();
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(alias);
        idp.setDisplayName(alias);
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        idp.setTrustEmail(false);
        idp.setConfig(new java.util.HashMap<>(Map.of(
                "clientId", clientId(alias), "clientSecret", "it-secret", "clientAuthMethod", "client_secret_post",
                "authorizationUrl", issuer + "/authorize", "tokenUrl", issuer + "/token", "jwksUrl", issuer + "/jwks",
                "issuer", issuer, "useJwksUrl", "true", "validateSignature", "true",
                "defaultScope", "openid email profile")));
        idp.getConfig().put("syncMode", "FORCE");
        realm.identityProviders().create(idp).close();
        return realm.identityProviders().get(alias).toRepresentation();
    }

    /** The id token the stand-in issues for the next login at {@code alias}. */
    public static void nextLogin(MockOAuth2Server oidc, String alias, String subject, Map<String, Object> claims) {
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(alias, subject, "JWT", List.of(clientId(alias)), claims, 3600));
    }
}

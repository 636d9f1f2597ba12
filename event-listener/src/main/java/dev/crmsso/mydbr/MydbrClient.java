package dev.crmsso.mydbr;

import java.util.stream.Stream;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

/** One myDBR installation: a client with protocol {@value MydbrConstants#PROTOCOL} and its settings. */
public final class MydbrClient {

    private final ClientModel model;

    public MydbrClient(ClientModel model) {
        this.model = model;
    }

    /** Every myDBR client of the realm, enabled or not. */
    public static Stream<MydbrClient> allOf(RealmModel realm) {
        return realm.getClientsStream()
                .filter(c -> MydbrConstants.PROTOCOL.equals(c.getProtocol()))
                .map(MydbrClient::new);
    }

    public ClientModel model() {
        return model;
    }

    /** The request parameter that carries the return URL: myDBR's {@code url_parameter}. */
    public String urlParameter() {
        String name = model.getAttribute(MydbrConstants.ATTR_URL_PARAMETER);
        return name == null || name.isBlank() ? MydbrConstants.PARAM_URL : name.trim();
    }

    public boolean legacyHash() {
        return Boolean.parseBoolean(model.getAttribute(MydbrConstants.ATTR_LEGACY_HASH));
    }

    /** Whether {@code url} is one of this client's valid redirect URIs. */
    public boolean allowsUrl(KeycloakSession session, String url) {
        return url != null && RedirectUtils.verifyRedirectUri(session, url, model) != null;
    }

    /** Null when the client has no secret yet: such a client can verify nothing. */
    public MydbrSignature signatureOrNull() {
        String secret = model.getSecret();
        return secret == null || secret.isEmpty() ? null : new MydbrSignature(secret);
    }

    /**
     * The role that makes {@code admin=1}: a role of this client by that name, else a realm role or
     * {@code clientId.role}; null when it does not exist (then nobody is admin through this setting).
     */
    public RoleModel adminRole(RealmModel realm) {
        String name = model.getAttribute(MydbrConstants.ATTR_ADMIN_ROLE);
        if (name == null || name.isBlank()) {
            name = MydbrConstants.DEFAULT_ADMIN_ROLE;
        }
        RoleModel own = model.getRole(name);
        return own != null ? own : KeycloakModelUtils.getRoleFromString(realm, name);
    }
}

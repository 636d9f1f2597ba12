package dev.crmsso.mydbr;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

import dev.crmsso.mydbr.mappers.AnswerSettingsMapper;

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
        return attribute(MydbrConstants.ATTR_URL_PARAMETER, MydbrConstants.PARAM_URL);
    }

    /**
     * How many extras myDBR hashes (its {@code max_sso_extra_parameters}); a value that is not a number counts as
     * myDBR's default, the safe side: the guard then assumes more extras than fewer.
     */
    public int extrasAccepted() {
        String value = attribute(MydbrConstants.ATTR_EXTRAS_ACCEPTED, "");
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return MydbrConstants.DEFAULT_EXTRAS_ACCEPTED;
        }
    }

    /** Whether {@code user} is the fixed-form id rather than the username. */
    public boolean sendsUserId() {
        return MydbrConstants.USER_VALUE_ID.equals(attribute(MydbrConstants.ATTR_USER_VALUE, MydbrConstants.USER_VALUE_USERNAME));
    }

    /** myDBR's local accounts, lower-case: names a re-split user must never become. */
    public Set<String> localAccounts() {
        return Arrays.stream(attribute(MydbrConstants.ATTR_LOCAL_ACCOUNTS, MydbrConstants.DEFAULT_LOCAL_ACCOUNTS).split(","))
                .map(a -> a.strip().toLowerCase(Locale.ROOT)).filter(a -> !a.isEmpty()).collect(Collectors.toSet());
    }

    public boolean legacyHash() {
        return Boolean.parseBoolean(attribute(MydbrConstants.ATTR_LEGACY_HASH, "false"));
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
        String name = attribute(MydbrConstants.ATTR_ADMIN_ROLE, MydbrConstants.DEFAULT_ADMIN_ROLE);
        RoleModel own = model.getRole(name);
        return own != null ? own : KeycloakModelUtils.getRoleFromString(realm, name);
    }

    /**
     * A setting, trimmed: from the client's Answer settings mapper (the admin console's form), else the client
     * attribute of that name, else {@code fallback}.
     */
    private String attribute(String name, String fallback) {
        String value = model.getProtocolMappersStream()
                .filter(m -> AnswerSettingsMapper.ID.equals(m.getProtocolMapper()))
                .map(m -> m.getConfig().get(name))
                .filter(v -> v != null && !v.isBlank())
                .findFirst()
                .orElseGet(() -> model.getAttribute(name));
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}

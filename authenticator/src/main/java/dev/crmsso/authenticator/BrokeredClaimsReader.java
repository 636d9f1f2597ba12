package dev.crmsso.authenticator;

import java.util.Map;

import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.representations.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads {@link BrokeredClaims} where Keycloak keeps what the IdP sent: the validated id token
 * ({@code VALIDATED_ID_TOKEN}, OIDC, Google and Entra ID as OIDC) and the user info JSON
 * ({@code UserInfo}: the built-in Microsoft provider's Graph {@code /me}). Never the brokered
 * context's email: the review-profile step lets the user edit that one.
 */
final class BrokeredClaimsReader {

    /** The built-in Microsoft provider's setting for the tenant it signs in to. */
    static final String MICROSOFT_TENANT_ID = "tenantId";

    private BrokeredClaimsReader() {
    }

    static BrokeredClaims read(BrokeredIdentityContext brokered) {
        Map<String, Object> data = brokered.getContextData();
        JsonWebToken jwt = data.get(OIDCIdentityProvider.VALIDATED_ID_TOKEN) instanceof JsonWebToken t ? t : null;
        Map<String, Object> token = jwt != null && jwt.getOtherClaims() != null ? jwt.getOtherClaims() : Map.of();
        JsonNode userInfo = data.get(OIDCIdentityProvider.USER_INFO) instanceof JsonNode node ? node : null;
        String upn = first(text(token, "upn"), text(userInfo, "userPrincipalName"));
        String email = first(text(token, "email"), text(userInfo, "email"), text(userInfo, "mail"));
        Object verified = token.containsKey("email_verified") ? token.get("email_verified")
                : userInfo != null && userInfo.hasNonNull("email_verified") ? userInfo.get("email_verified").asText() : null;
        Object acct = token.get("acct");
        return new BrokeredClaims(text(token, "hd"), text(token, "tid"), upn, text(token, "preferred_username"), email,
                verified != null && Boolean.parseBoolean(verified.toString()),
                brokered.getIdpConfig().getConfig().get(MICROSOFT_TENANT_ID), jwt == null ? null : jwt.getIssuer(),
                acct instanceof String || acct instanceof Number ? acct.toString() : null, text(token, "idp"),
                text(userInfo, "userType"));
    }

    private static String text(Map<String, Object> claims, String name) {
        Object v = claims.get(name);
        return v instanceof String s ? s : null;
    }

    private static String text(JsonNode json, String name) {
        return json != null && json.hasNonNull(name) && json.get(name).isTextual() ? json.get(name).asText() : null;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}

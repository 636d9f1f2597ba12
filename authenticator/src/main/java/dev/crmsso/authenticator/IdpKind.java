package dev.crmsso.authenticator;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How an identity provider proves which organisation an account belongs to, decided by what the
 * IdP is (its provider type, its issuer and endpoints), never by the alias an admin gave it: Google
 * or Entra ID under any alias gets its own rules, and an IdP called {@code google} that is not
 * Google does not.
 */
enum IdpKind {
    /** Google (built-in, or an OIDC IdP with Google's issuer or endpoints): the id token's {@code hd}. */
    GOOGLE,
    /** Entra ID as an OIDC IdP: the id token's {@code tid}. */
    MICROSOFT_ENTRA,
    /** Keycloak's built-in {@code microsoft} provider: Graph {@code /me}, no id token; the IdP's tenant. */
    MICROSOFT_GRAPH,
    /** Any other IdP: a verified email. */
    OTHER,
    /** Endpoints of both Google and Microsoft: nobody can say whose claims these are, so nobody passes. */
    AMBIGUOUS;

    /** The IdP settings that name its issuer and endpoints. */
    static final List<String> ENDPOINT_SETTINGS = List.of("issuer", "authorizationUrl", "tokenUrl", "jwksUrl",
            "userInfoUrl", "logoutUrl");

    /*
     * Google's issuer: "The modern value is https://accounts.google.com; however, accounts.google.com is also
     * returned for legacy implementations" (Google OpenID Connect API reference, Discovery Document,
     * https://developers.google.com/identity/openid-connect/reference); its other endpoints are on googleapis.com.
     */
    private static final Set<String> GOOGLE_HOSTS = Set.of("accounts.google.com", "oauth2.googleapis.com",
            "www.googleapis.com", "openidconnect.googleapis.com");
    /*
     * Entra ID's authorities: login.microsoftonline.com (v2.0 issuer https://login.microsoftonline.com/{tid}/v2.0),
     * sts.windows.net (v1.0 issuer), and the national clouds (Microsoft identity platform, "National clouds").
     */
    private static final Set<String> MICROSOFT_HOSTS = Set.of("login.microsoftonline.com", "sts.windows.net",
            "login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.chinacloudapi.cn",
            "login.live.com", "graph.microsoft.com");

    /**
     * @param providerType     the IdP's provider id ({@code google}, {@code microsoft}, {@code oidc}, ...)
     * @param idpConfig        the IdP's settings (issuer and endpoint URLs)
     * @param googleIssuers    more issuers to treat as Google (a proxy, the test stand-in)
     * @param microsoftIssuers more issuers to treat as Entra ID
     */
    static IdpKind of(String providerType, Map<String, String> idpConfig, Collection<String> googleIssuers,
            Collection<String> microsoftIssuers) {
        if ("google".equals(providerType)) {
            return GOOGLE;
        }
        if ("microsoft".equals(providerType)) {
            return MICROSOFT_GRAPH;
        }
        boolean google = false;
        boolean microsoft = false;
        for (String setting : ENDPOINT_SETTINGS) {
            String url = idpConfig.get(setting);
            if (url == null || url.isBlank()) {
                continue;
            }
            google |= onHost(url, GOOGLE_HOSTS) || listed(url, googleIssuers);
            microsoft |= onHost(url, MICROSOFT_HOSTS) || listed(url, microsoftIssuers);
        }
        if (google && microsoft) {
            return AMBIGUOUS;
        }
        return google ? GOOGLE : microsoft ? MICROSOFT_ENTRA : OTHER;
    }

    private static boolean onHost(String url, Set<String> hosts) {
        String u = url.strip();
        try {
            String host = URI.create(u.contains("://") ? u : "https://" + u).getHost();
            return host != null && hosts.contains(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The URL is a listed issuer or lies below it ({@code issuer/...}). */
    private static boolean listed(String url, Collection<String> issuers) {
        String u = trimSlash(url.strip());
        return issuers.stream().map(i -> trimSlash(i.strip())).filter(i -> !i.isEmpty())
                .anyMatch(i -> u.equals(i) || u.startsWith(i + "/"));
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

package dev.crmsso.authenticator;

/** How an identity provider proves which organisation an account belongs to. */
enum IdpKind {
    /** Google (built-in, or a generic OIDC IdP with a Google alias): the id token's {@code hd}. */
    GOOGLE,
    /** Entra ID as an OIDC IdP: the id token's {@code tid}, and its UPN / preferred_username. */
    MICROSOFT_ENTRA,
    /** Keycloak's built-in {@code microsoft} provider: Graph {@code /me}, no id token; the IdP's tenant. */
    MICROSOFT_GRAPH,
    /** Any other IdP: a verified email. */
    OTHER
}

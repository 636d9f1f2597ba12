package dev.crmsso.authenticator;

/**
 * What the upstream IdP said about the account, read from its token or user info: never from
 * anything the user typed into Keycloak.
 *
 * @param hd               Google's hosted domain claim
 * @param tid              Entra ID's tenant id claim
 * @param upn              Entra ID's {@code upn}, else {@code preferred_username}; Graph's {@code userPrincipalName}
 * @param email            the email claim
 * @param emailVerified    the {@code email_verified} claim ({@code false} when absent)
 * @param configuredTenant the tenant the built-in Microsoft IdP is configured for (its only proof)
 */
record BrokeredClaims(String hd, String tid, String upn, String email, boolean emailVerified,
        String configuredTenant) {

    /** The account's name to show on a refusal page. */
    String account() {
        return email != null && !email.isBlank() ? email : upn;
    }
}

package dev.crmsso.authenticator;

/**
 * What the upstream IdP said about the account, read from its token or user info: never from
 * anything the user typed into Keycloak.
 *
 * @param hd                Google's hosted domain claim
 * @param tid               Entra ID's tenant id claim
 * @param upn               Entra ID's {@code upn}; Graph's {@code userPrincipalName}
 * @param preferredUsername Entra ID's {@code preferred_username} (display only: Microsoft calls it mutable)
 * @param email             the email claim
 * @param emailVerified     the {@code email_verified} claim ({@code false} when absent)
 * @param configuredTenant  the tenant the built-in Microsoft IdP is configured for (its only proof)
 * @param issuer            the id token's {@code iss}
 * @param acct              Entra ID's optional {@code acct} claim: 0 member, 1 guest
 * @param idp               Entra ID's {@code idp} claim: who authenticated the account, when not the issuer
 * @param userType          Graph's {@code userType} ({@code Member}, {@code Guest}) when the user info has it
 */
record BrokeredClaims(String hd, String tid, String upn, String preferredUsername, String email, boolean emailVerified,
        String configuredTenant, String issuer, String acct, String idp, String userType) {

    /** Claims of an IdP that sends only a hosted domain, tenant, UPN and email (most table rows). */
    static BrokeredClaims of(String hd, String tid, String upn, String email, boolean emailVerified,
            String configuredTenant) {
        return new BrokeredClaims(hd, tid, upn, null, email, emailVerified, configuredTenant, null, null, null, null);
    }

    /** The account's name to show on a refusal page (display only, never decided on). */
    String account() {
        for (String name : new String[] {email, upn, preferredUsername}) {
            if (name != null && !name.isBlank()) {
                return name;
            }
        }
        return "";
    }
}

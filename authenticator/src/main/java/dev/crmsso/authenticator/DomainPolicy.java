package dev.crmsso.authenticator;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides from the upstream IdP's claims whether an account belongs to one of the company's
 * registered domains or Microsoft tenants. Pure: no Keycloak types, so every rule is a table row
 * in a unit test. Each rule decides only on a claim its IdP documents as fit for that decision.
 */
final class DomainPolicy {

    /*
     * Entra ID, ID token claims reference, tid: "For sign-ins to the personal Microsoft account tenant (services
     * like Xbox, Teams for Life, or Outlook), the value is 9188040d-6c67-4c5b-b112-36a304b66dad."
     * (https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference)
     */
    /** The Entra ID tenant of personal Microsoft accounts (outlook.com, hotmail.com, ...). */
    static final String CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    /** Tenant values that do not name one organisation. */
    private static final Set<String> MULTI_TENANT = Set.of("common", "organizations", "consumers");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    /** An allowed domain; {@code *.acme.com} in the config allows the subdomains of that one entry. */
    private record AllowedDomain(String domain, boolean subdomains) {
    }

    private final List<AllowedDomain> domains;
    private final Set<String> tenants;
    private final boolean requireVerifiedEmail;
    private final boolean admitTenantGuests;

    DomainPolicy(Collection<String> domains, Collection<String> tenants, boolean allowSubdomains,
            boolean requireVerifiedEmail) {
        this(domains, tenants, allowSubdomains, requireVerifiedEmail, false);
    }

    DomainPolicy(Collection<String> domains, Collection<String> tenants, boolean allowSubdomains,
            boolean requireVerifiedEmail, boolean admitTenantGuests) {
        this.domains = domains.stream().map(d -> {
            boolean wildcard = d.strip().startsWith("*.");
            return DomainName.normalise(wildcard ? d.strip().substring(2) : d)
                    .map(n -> new AllowedDomain(n, allowSubdomains || wildcard));
        }).flatMap(Optional::stream).toList();
        this.tenants = tenants.stream().map(DomainPolicy::tenantId).filter(t -> !t.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.requireVerifiedEmail = requireVerifiedEmail;
        this.admitTenantGuests = admitTenantGuests;
    }

    Decision decide(IdpKind kind, BrokeredClaims claims) {
        return switch (kind) {
            case GOOGLE -> google(claims);
            case MICROSOFT_ENTRA -> entra(claims);
            case MICROSOFT_GRAPH -> graph(claims);
            case OTHER -> other(claims);
            case AMBIGUOUS -> Decision.refuse("", "ambiguous_idp",
                    "the IdP has endpoints of both Google and Microsoft: whose claims these are cannot be told");
        };
    }

    /** The registered domain (as configured, normalised) that a decided domain falls under. */
    Optional<String> registeredDomainOf(String domain) {
        return DomainName.normalise(domain).flatMap(d -> domains.stream()
                .filter(a -> DomainName.matches(d, a.domain(), a.subdomains())).map(AllowedDomain::domain).findFirst());
    }

    List<String> allowedDomains() {
        return domains.stream().map(a -> a.subdomains() ? "*." + a.domain() : a.domain()).toList();
    }

    boolean hasTenants() {
        return !tenants.isEmpty();
    }

    /** A configured tenant id (GUID) in the form tids are compared in; empty when blank. */
    static String tenantId(String value) {
        return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    }

    private Decision google(BrokeredClaims c) {
        /*
         * Google, OpenID Connect, hd: "The domain associated with the Google Cloud organization of the user.
         * Provided only if the user belongs to a Google Cloud organization." and "Be sure to validate that the
         * returned ID token has an hd claim value that matches what you expect ... Unlike the request parameter,
         * the ID token hd claim is contained within a security token from Google, so the value can be trusted."
         * (https://developers.google.com/identity/openid-connect/openid-connect)
         */
        Optional<String> hd = DomainName.normalise(c.hd());
        if (hd.isEmpty()) {
            // a consumer Gmail account has no hd, whatever its email says
            return Decision.refuse(DomainName.ofAddress(c.email()).orElse(""), "no_hosted_domain",
                    "no hosted domain (hd): not a Google Workspace account");
        }
        return byDomain(hd.get(), "hosted domain (hd)");
    }

    /*
     * Entra ID logins are decided on tid alone. Microsoft: "Always check that the tid in a token matches the tenant
     * ID used to store data with the application" and "Never use claims like email, preferred_username or
     * unique_name to store or determine whether the user in an access token should have access to data ... Also
     * don't use the upn claim for authorization" (Secure applications and APIs by validating claims,
     * https://learn.microsoft.com/entra/identity-platform/claims-validation). preferred_username: "Its value is
     * mutable and might change over time. Since it's mutable, this value can't be used to make authorization
     * decisions." (ID token claims reference). So there is no domain-only mode for Entra ID: without allowed tenants
     * every Entra login is refused, and the log says why.
     */
    private Decision entra(BrokeredClaims c) {
        String tid = tenantId(c.tid());
        if (tid.isEmpty()) {
            return Decision.refuseTenant("", "no_tenant", "no tenant id (tid) in the id token");
        }
        if (tid.equals(CONSUMER_TENANT)) {
            return Decision.refuseTenant(tid, "consumer_tenant", "personal Microsoft account (consumer tenant)");
        }
        /*
         * iss "identifies the tenant for which the user was authenticated ... Your app should use the GUID portion of
         * the claim to restrict the set of tenants that can sign in to the app" (ID token claims reference): an
         * issuer naming another tenant than tid is not one tenant's token.
         */
        Optional<String> issuerTenant = guidIn(c.issuer());
        if (issuerTenant.isPresent() && !issuerTenant.get().equals(tid)) {
            return Decision.refuseTenant(tid, "issuer_tenant_mismatch",
                    "the issuer names tenant " + issuerTenant.get() + ", the tid " + tid);
        }
        if (tenants.isEmpty()) {
            return Decision.refuseTenant(tid, "no_allowed_tenants", "Microsoft logins are decided on the tenant id "
                    + "(tid) alone, and no Allowed Microsoft tenant ids are set: set them (domains alone decide nothing "
                    + "for Microsoft, its upn / preferred_username / email claims are not fit for it)");
        }
        if (!tenants.contains(tid)) {
            return Decision.refuseTenant(tid, "tenant_not_allowed", "tenant " + tid + " is not allowed");
        }
        return guestSign(c, tid).map(sign -> admitTenantGuests
                ? Decision.allowTenant(tid, "guest of tenant " + tid + " (" + sign + "), guests admitted")
                : Decision.refuseTenant(tid, Decision.GUEST, "guest of tenant " + tid + " (" + sign + ")"))
                .orElseGet(() -> Decision.allowTenant(tid, "tenant " + tid));
    }

    /**
     * Whatever Entra ID documents as marking a B2B guest of the tenant, in the order Microsoft's docs name them;
     * empty for a member of the tenant.
     */
    static Optional<String> guestSign(BrokeredClaims c, String tid) {
        // Optional claims reference, acct: "If the user is a member of the tenant, the value is 0. If they're a
        // guest, the value is 1." (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference)
        if (c.acct() != null && c.acct().strip().equals("1")) {
            return Optional.of("acct=1");
        }
        // Optional claims reference, upn, include_externally_authenticated_upn: "Includes the guest UPN as stored in
        // the resource tenant. For example, foo_hometenant.com#EXT#@resourcetenant.com."
        for (String name : new String[] {c.upn(), c.preferredUsername()}) {
            if (name != null && name.toUpperCase(Locale.ROOT).contains("#EXT#")) {
                return Optional.of("#EXT# in the UPN");
            }
        }
        // ID token claims reference, idp: "This value is identical to the value of the issuer claim unless the user
        // account isn't in the same tenant as the issuer - guests, for instance." (may be live.com for a personal
        // account invited to a tenant)
        String idp = c.idp() == null ? "" : c.idp().strip();
        if (!idp.isEmpty() && !idp.equals(c.issuer())) {
            Optional<String> idpTenant = guidIn(idp);
            if (idpTenant.isEmpty() || !idpTenant.get().equals(tid)) {
                return Optional.of("idp " + idp + " is another authority than the tenant");
            }
        }
        // Microsoft Graph, user resource, userType: "The possible values are Member and Guest."
        if (c.userType() != null && c.userType().strip().equalsIgnoreCase("Guest")) {
            return Optional.of("userType=Guest");
        }
        return Optional.empty();
    }

    private Decision graph(BrokeredClaims c) {
        String tenant = tenantId(c.configuredTenant());
        if (tenant.isEmpty() || MULTI_TENANT.contains(tenant)) {
            return Decision.refuseTenant(tenant, "tenant_not_bound", "the built-in Microsoft IdP is not bound to one "
                    + "tenant (" + (tenant.isEmpty() ? "common" : tenant) + "); set its Tenant ID or use Entra ID as OIDC");
        }
        if (!tenants.contains(tenant)) {
            return Decision.refuseTenant(tenant, tenants.isEmpty() ? "no_allowed_tenants" : "tenant_not_allowed",
                    "tenant " + tenant + " is not allowed");
        }
        return guestSign(c, tenant).map(sign -> admitTenantGuests
                ? Decision.allowTenant(tenant, "guest of tenant " + tenant + " (" + sign + "), guests admitted")
                : Decision.refuseTenant(tenant, Decision.GUEST, "guest of tenant " + tenant + " (" + sign + ")"))
                .orElseGet(() -> Decision.allowTenant(tenant, "the IdP's tenant " + tenant));
    }

    private Decision other(BrokeredClaims c) {
        String domain = DomainName.ofAddress(c.email()).orElse("");
        if (requireVerifiedEmail && !c.emailVerified()) {
            return Decision.refuse(domain, "email_not_verified", "email not verified by the IdP");
        }
        return domain.isEmpty() ? Decision.refuse("", "no_email_domain", "no email domain")
                : byDomain(domain, "email domain");
    }

    private Decision byDomain(String domain, String what) {
        return registeredDomainOf(domain).isPresent() ? Decision.allowDomain(domain, what + " " + domain)
                : Decision.refuse(domain, "domain_not_allowed", what + " " + domain + " is not allowed");
    }

    private static Optional<String> guidIn(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = GUID.matcher(value);
        return m.find() ? Optional.of(m.group().toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}

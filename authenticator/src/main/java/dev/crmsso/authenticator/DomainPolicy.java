package dev.crmsso.authenticator;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides from the upstream IdP's claims whether an account belongs to one of the company's
 * registered domains or Microsoft tenants. Pure: no Keycloak types, so every rule is a table row
 * in a unit test.
 */
final class DomainPolicy {

    /** The Entra ID tenant of personal Microsoft accounts (outlook.com, hotmail.com, ...). */
    static final String CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    /** Tenant values that do not name one organisation. */
    private static final Set<String> MULTI_TENANT = Set.of("common", "organizations", "consumers");

    /** An allowed domain; {@code *.acme.com} in the config allows the subdomains of that one entry. */
    private record AllowedDomain(String domain, boolean subdomains) {
    }

    private final List<AllowedDomain> domains;
    private final Set<String> tenants;
    private final boolean requireVerifiedEmail;

    DomainPolicy(Collection<String> domains, Collection<String> tenants, boolean allowSubdomains,
            boolean requireVerifiedEmail) {
        this.domains = domains.stream().map(d -> {
            boolean wildcard = d.strip().startsWith("*.");
            return DomainName.normalise(wildcard ? d.strip().substring(2) : d)
                    .map(n -> new AllowedDomain(n, allowSubdomains || wildcard));
        }).flatMap(Optional::stream).toList();
        this.tenants = tenants.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.requireVerifiedEmail = requireVerifiedEmail;
    }

    Decision decide(IdpKind kind, BrokeredClaims claims) {
        return switch (kind) {
            case GOOGLE -> google(claims);
            case MICROSOFT_ENTRA -> entra(claims);
            case MICROSOFT_GRAPH -> graph(claims);
            case OTHER -> other(claims);
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

    private Decision google(BrokeredClaims c) {
        Optional<String> hd = DomainName.normalise(c.hd());
        if (hd.isEmpty()) {
            // a consumer Gmail account has no hd, whatever its email says
            return Decision.refuse(DomainName.ofAddress(c.email()).orElse(""), "no hosted domain (hd): not a Google Workspace account");
        }
        return byDomain(hd.get(), "hosted domain (hd)");
    }

    private Decision entra(BrokeredClaims c) {
        String upnDomain = DomainName.ofAddress(c.upn()).orElse("");
        String tid = c.tid() == null ? "" : c.tid().strip().toLowerCase(Locale.ROOT);
        String shown = upnDomain.isEmpty() ? tid : upnDomain;
        if (tid.isEmpty()) {
            return Decision.refuse(shown, "no tenant id (tid) in the id token");
        }
        if (!tenants.isEmpty()) {
            return tenants.contains(tid) ? Decision.allow(shown, "tenant " + tid)
                    : Decision.refuse(shown, "tenant " + tid + " is not allowed");
        }
        if (tid.equals(CONSUMER_TENANT)) {
            return Decision.refuse(shown, "personal Microsoft account (consumer tenant)");
        }
        // the UPN is set by the tenant's admins; the email claim can be edited by the user ("nOAuth")
        return upnDomain.isEmpty() ? Decision.refuse("", "no UPN / preferred_username domain")
                : byDomain(upnDomain, "UPN domain");
    }

    private Decision graph(BrokeredClaims c) {
        String upnDomain = DomainName.ofAddress(c.upn()).orElse("");
        String tenant = c.configuredTenant() == null ? "" : c.configuredTenant().strip().toLowerCase(Locale.ROOT);
        if (tenant.isEmpty() || MULTI_TENANT.contains(tenant)) {
            return Decision.refuse(upnDomain, "the built-in Microsoft IdP is not bound to one tenant ("
                    + (tenant.isEmpty() ? "common" : tenant) + "); set its Tenant ID or use Entra ID as OIDC");
        }
        if (!tenants.contains(tenant)) {
            return Decision.refuse(upnDomain, "tenant " + tenant + " is not allowed");
        }
        return upnDomain.isEmpty() ? Decision.refuse("", "no userPrincipalName domain")
                : byDomain(upnDomain, "userPrincipalName domain");
    }

    private Decision other(BrokeredClaims c) {
        String domain = DomainName.ofAddress(c.email()).orElse("");
        if (requireVerifiedEmail && !c.emailVerified()) {
            return Decision.refuse(domain, "email not verified by the IdP");
        }
        return domain.isEmpty() ? Decision.refuse("", "no email domain") : byDomain(domain, "email domain");
    }

    private Decision byDomain(String domain, String what) {
        return registeredDomainOf(domain).isPresent() ? Decision.allow(domain, what + " " + domain)
                : Decision.refuse(domain, what + " " + domain + " is not allowed");
    }
}

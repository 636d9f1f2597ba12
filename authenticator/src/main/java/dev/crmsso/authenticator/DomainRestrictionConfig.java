package dev.crmsso.authenticator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** The authenticator's settings (admin console: the step's gear icon), their keys and defaults. */
final class DomainRestrictionConfig {

    static final String PROVIDER_ID = "crm-sso-domain-restriction";

    static final String ALLOWED_DOMAINS = "allowedDomains";
    static final String ALLOWED_TENANTS = "allowedTenants";
    static final String ADMIT_TENANT_GUESTS = "admitTenantGuests";
    static final String ALLOW_SUBDOMAINS = "allowSubdomains";
    static final String REQUIRE_VERIFIED_EMAIL = "requireVerifiedEmail";
    static final String CREATE_ACCOUNTS = "createAccounts";
    static final String SHOW_ALLOWED_DOMAINS = "showAllowedDomains";
    static final String DOMAIN_GROUPS = "domainGroups";
    static final String GOOGLE_ISSUERS = "googleIssuers";
    static final String MICROSOFT_ISSUERS = "microsoftIssuers";
    /** Settings of earlier versions that chose the IdP kind by alias; no longer read (the log says so). */
    static final List<String> RETIRED = List.of("googleAliases", "microsoftAliases");

    /** Keycloak stores a multivalued setting joined by {@code ##}; a comma also separates (environment variables). */
    private static final String SEPARATORS = "##|,";

    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(ALLOWED_DOMAINS).label("Allowed domains").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("The company's registered domains (acme.com). Google: the id token's hosted domain (hd); other "
                    + "IdPs: the verified email's domain. Not Microsoft: see Allowed Microsoft tenant ids. "
                    + "*.acme.com also allows its subdomains.")
            .add()
            .property().name(ALLOWED_TENANTS).label("Allowed Microsoft tenant ids").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Entra ID tenant ids (GUIDs). Microsoft logins are decided on the id token's tid alone, the only "
                    + "claim Microsoft documents as fit for it (upn, preferred_username and email are not): with no "
                    + "tenant here every Microsoft login is refused, whatever the allowed domains.")
            .add()
            .property().name(ADMIT_TENANT_GUESTS).label("Admit guests of the allowed tenants")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
            .helpText("Off: B2B guests of an allowed tenant (acct=1, a UPN with #EXT#, an idp claim of another "
                    + "organisation) are refused. Guests are other organisations' accounts, and by default anyone in "
                    + "an Entra tenant, guests included, can invite guests (Entra ID: External Identities, External "
                    + "collaboration settings, Guest invite settings). Turn on only when you control who invites.")
            .add()
            .property().name(ALLOW_SUBDOMAINS).label("Allow subdomains").type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false").helpText("Also allow sales.acme.com when acme.com is allowed.").add()
            .property().name(REQUIRE_VERIFIED_EMAIL).label("Require a verified email (other IdPs)")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
            .helpText("For IdPs that are neither Google nor Microsoft: refuse unless the IdP says email_verified=true.").add()
            .property().name(CREATE_ACCOUNTS).label("Create accounts for new users").type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("true").helpText("When off, a person of an allowed domain who has no account yet (local or from "
                    + "the CRM) is refused with their own message at first broker login.").add()
            .property().name(SHOW_ALLOWED_DOMAINS).label("Show allowed domains on the refusal page")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
            .helpText("List the allowed domains to a refused person. Off: the page does not reveal them.").add()
            .property().name(DOMAIN_GROUPS).label("Domain groups").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("domain=/group/path, or tenant-id=/group/path for Microsoft: an allowed login of that domain or "
                    + "tenant joins the group. Create the group first: a missing one is reported once in the log and not "
                    + "created (only the group sync creates groups).").add()
            .property().name(GOOGLE_ISSUERS).label("More Google issuers").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("The IdP kind is decided by provider type, issuer and endpoints, never by alias: IdPs of type "
                    + "google and OIDC IdPs with Google's issuer or endpoints get Google's rules. Add here an issuer "
                    + "that stands in for Google (a proxy, a test server).").add()
            .property().name(MICROSOFT_ISSUERS).label("More Microsoft issuers").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("OIDC IdPs with Entra ID's issuer or endpoints (login.microsoftonline.com, ...) get Microsoft's "
                    + "rules, whatever their alias. Add here an issuer that stands in for Entra ID.").add()
            .build();

    private final Map<String, String> values;
    private final DomainPolicy policy;

    private DomainRestrictionConfig(Map<String, String> values) {
        this.values = values;
        this.policy = new DomainPolicy(list(ALLOWED_DOMAINS), list(ALLOWED_TENANTS), flag(ALLOW_SUBDOMAINS, false),
                flag(REQUIRE_VERIFIED_EMAIL, true), flag(ADMIT_TENANT_GUESTS, false));
    }

    static DomainRestrictionConfig of(AuthenticatorConfigModel model) {
        return of(model == null || model.getConfig() == null ? Map.of() : model.getConfig());
    }

    static DomainRestrictionConfig of(Map<String, String> values) {
        return new DomainRestrictionConfig(values);
    }

    DomainPolicy policy() {
        return policy;
    }

    boolean createAccounts() {
        return flag(CREATE_ACCOUNTS, true);
    }

    boolean showAllowedDomains() {
        return flag(SHOW_ALLOWED_DOMAINS, false);
    }

    /**
     * The group path for an allowed login, by its registered domain ({@code acme.com=/staff/acme}) or, for
     * Microsoft, its tenant id ({@code 4f1c...=/staff/acme}).
     */
    Optional<String> groupFor(String domainOrTenant) {
        Map<String, String> byDomain = new LinkedHashMap<>();
        Map<String, String> byTenant = new LinkedHashMap<>();
        for (String rule : list(DOMAIN_GROUPS)) {
            int eq = rule.indexOf('=');
            if (eq > 0 && eq < rule.length() - 1) {
                String key = rule.substring(0, eq).strip();
                String path = rule.substring(eq + 1).strip();
                if (key.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
                    byTenant.put(DomainPolicy.tenantId(key), path);
                } else {
                    DomainName.normalise(key).ifPresent(d -> byDomain.put(d, path));
                }
            }
        }
        String tenantPath = byTenant.get(DomainPolicy.tenantId(domainOrTenant));
        return tenantPath != null ? Optional.of(tenantPath) : policy.registeredDomainOf(domainOrTenant).map(byDomain::get);
    }

    /** What the IdP is, from its provider type, issuer and endpoints (never its alias). */
    IdpKind kindOf(IdentityProviderModel idp) {
        return IdpKind.of(idp.getProviderId(), idp.getConfig() == null ? Map.of() : idp.getConfig(),
                list(GOOGLE_ISSUERS), list(MICROSOFT_ISSUERS));
    }

    /** The retired settings this config still carries. */
    List<String> retiredSettings() {
        return RETIRED.stream().filter(values::containsKey).toList();
    }

    private List<String> list(String key) {
        String raw = values.get(key);
        return raw == null ? List.of() : Arrays.stream(raw.split(SEPARATORS)).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private boolean flag(String key, boolean fallback) {
        String raw = values.get(key);
        return raw == null || raw.isBlank() ? fallback : Boolean.parseBoolean(raw.strip());
    }
}

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

    /**
     * Labels and help texts are message keys of this JAR's theme-resources/messages (en, es, pt, fr, de): Keycloak
     * 26.7's admin console shows them through its translator, {@code t(label)} and {@code t(helpText)} in every
     * component of components/dynamic, and merges a provider JAR's theme messages into the admin theme's. The
     * option values of a list are shown as they are, so they stay plain.
     */
    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(ALLOWED_DOMAINS).label("crmSsoDomainSettingAllowedDomains").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("crmSsoDomainSettingAllowedDomainsHelp")
            .add()
            .property().name(ALLOWED_TENANTS).label("crmSsoDomainSettingAllowedTenants").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("crmSsoDomainSettingAllowedTenantsHelp")
            .add()
            .property().name(ADMIT_TENANT_GUESTS).label("crmSsoDomainSettingAdmitTenantGuests")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
            .helpText("crmSsoDomainSettingAdmitTenantGuestsHelp")
            .add()
            .property().name(ALLOW_SUBDOMAINS).label("crmSsoDomainSettingAllowSubdomains").type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false").helpText("crmSsoDomainSettingAllowSubdomainsHelp").add()
            .property().name(REQUIRE_VERIFIED_EMAIL).label("crmSsoDomainSettingRequireVerifiedEmail")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
            .helpText("crmSsoDomainSettingRequireVerifiedEmailHelp").add()
            .property().name(CREATE_ACCOUNTS).label("crmSsoDomainSettingCreateAccounts").type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("true").helpText("crmSsoDomainSettingCreateAccountsHelp").add()
            .property().name(SHOW_ALLOWED_DOMAINS).label("crmSsoDomainSettingShowAllowedDomains")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
            .helpText("crmSsoDomainSettingShowAllowedDomainsHelp").add()
            .property().name(DOMAIN_GROUPS).label("crmSsoDomainSettingDomainGroups").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("crmSsoDomainSettingDomainGroupsHelp").add()
            .property().name(GOOGLE_ISSUERS).label("crmSsoDomainSettingGoogleIssuers").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("crmSsoDomainSettingGoogleIssuersHelp").add()
            .property().name(MICROSOFT_ISSUERS).label("crmSsoDomainSettingMicrosoftIssuers").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("crmSsoDomainSettingMicrosoftIssuersHelp").add()
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

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
    static final String ALLOW_SUBDOMAINS = "allowSubdomains";
    static final String REQUIRE_VERIFIED_EMAIL = "requireVerifiedEmail";
    static final String CREATE_ACCOUNTS = "createAccounts";
    static final String SHOW_ALLOWED_DOMAINS = "showAllowedDomains";
    static final String DOMAIN_GROUPS = "domainGroups";
    static final String GOOGLE_ALIASES = "googleAliases";
    static final String MICROSOFT_ALIASES = "microsoftAliases";

    /** Keycloak stores a multivalued setting joined by {@code ##}; a comma also separates (environment variables). */
    private static final String SEPARATORS = "##|,";

    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(ALLOWED_DOMAINS).label("Allowed domains").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("The company's registered domains (acme.com). Google: the id token's hosted domain (hd); "
                    + "Microsoft: the UPN's domain; other IdPs: the verified email's domain. *.acme.com also allows its subdomains.")
            .add()
            .property().name(ALLOWED_TENANTS).label("Allowed Microsoft tenant ids").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Entra ID tenant ids (GUIDs). When set, a Microsoft login is allowed exactly when its tid is one of them. "
                    + "When empty, the UPN domain decides and personal accounts (consumer tenant) are refused.")
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
            .helpText("domain=/group/path: an allowed login of that domain joins the group (created when missing).").add()
            .property().name(GOOGLE_ALIASES).label("Google IdP aliases").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("google").helpText("Generic OIDC IdPs to treat as Google (IdPs of type google always are).").add()
            .property().name(MICROSOFT_ALIASES).label("Microsoft IdP aliases").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("microsoft").helpText("Generic OIDC IdPs to treat as Entra ID (IdPs of type microsoft always are).")
            .add()
            .build();

    private final Map<String, String> values;
    private final DomainPolicy policy;

    private DomainRestrictionConfig(Map<String, String> values) {
        this.values = values;
        this.policy = new DomainPolicy(list(ALLOWED_DOMAINS), list(ALLOWED_TENANTS), flag(ALLOW_SUBDOMAINS, false),
                flag(REQUIRE_VERIFIED_EMAIL, true));
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

    /** The group path for an allowed domain, by its registered domain ({@code acme.com=/staff/acme}). */
    Optional<String> groupFor(String domain) {
        Map<String, String> rules = new LinkedHashMap<>();
        for (String rule : list(DOMAIN_GROUPS)) {
            int eq = rule.indexOf('=');
            if (eq > 0 && eq < rule.length() - 1) {
                DomainName.normalise(rule.substring(0, eq)).ifPresent(d -> rules.put(d, rule.substring(eq + 1).strip()));
            }
        }
        return policy.registeredDomainOf(domain).map(rules::get);
    }

    IdpKind kindOf(IdentityProviderModel idp) {
        String type = idp.getProviderId();
        String alias = idp.getAlias();
        if ("google".equals(type) || list(GOOGLE_ALIASES, "google").contains(alias)) {
            return IdpKind.GOOGLE;
        }
        if ("microsoft".equals(type)) {
            return IdpKind.MICROSOFT_GRAPH;
        }
        return list(MICROSOFT_ALIASES, "microsoft").contains(alias) ? IdpKind.MICROSOFT_ENTRA : IdpKind.OTHER;
    }

    private List<String> list(String key) {
        return list(key, "");
    }

    private List<String> list(String key, String fallback) {
        String raw = values.getOrDefault(key, fallback);
        return Arrays.stream((raw == null ? fallback : raw).split(SEPARATORS)).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private boolean flag(String key, boolean fallback) {
        String raw = values.get(key);
        return raw == null || raw.isBlank() ? fallback : Boolean.parseBoolean(raw.strip());
    }
}

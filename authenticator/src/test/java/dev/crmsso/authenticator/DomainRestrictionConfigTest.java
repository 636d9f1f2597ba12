package dev.crmsso.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.keycloak.models.IdentityProviderModel;

class DomainRestrictionConfigTest {

    @Test
    void readsMultivaluedSettingsAsTheAdminConsoleAndTheEnvironmentWriteThem() {
        DomainRestrictionConfig config = DomainRestrictionConfig.of(Map.of(
                DomainRestrictionConfig.ALLOWED_DOMAINS, "acme.com##acme.pe, other.org",
                DomainRestrictionConfig.DOMAIN_GROUPS, "acme.pe=/staff/peru##broken##=/x"));
        assertEquals(java.util.List.of("acme.com", "acme.pe", "other.org"), config.policy().allowedDomains());
        assertEquals(Optional.of("/staff/peru"), config.groupFor("ACME.PE"));
        assertEquals(Optional.empty(), config.groupFor("acme.com"));
    }

    @Test
    void tellsGoogleAndMicrosoftByTypeOrByAlias() {
        DomainRestrictionConfig defaults = DomainRestrictionConfig.of(Map.of());
        assertEquals(IdpKind.GOOGLE, defaults.kindOf(idp("google", "oidc")));
        assertEquals(IdpKind.GOOGLE, defaults.kindOf(idp("corp-google", "google")));
        assertEquals(IdpKind.MICROSOFT_ENTRA, defaults.kindOf(idp("microsoft", "oidc")));
        assertEquals(IdpKind.MICROSOFT_GRAPH, defaults.kindOf(idp("ms", "microsoft")));
        assertEquals(IdpKind.OTHER, defaults.kindOf(idp("okta", "oidc")));
        DomainRestrictionConfig custom = DomainRestrictionConfig.of(Map.of(DomainRestrictionConfig.MICROSOFT_ALIASES, "entra"));
        assertEquals(IdpKind.MICROSOFT_ENTRA, custom.kindOf(idp("entra", "oidc")));
        assertEquals(IdpKind.OTHER, custom.kindOf(idp("microsoft", "oidc")));
    }

    @Test
    void defaultsAreTheSafeOnes() {
        DomainRestrictionConfig defaults = DomainRestrictionConfig.of(Map.of());
        assertEquals(true, defaults.createAccounts());
        assertEquals(false, defaults.showAllowedDomains());
        // nothing configured: nobody is allowed
        assertEquals(false, defaults.policy().decide(IdpKind.GOOGLE,
                new BrokeredClaims("acme.com", null, null, "a@acme.com", true, null)).allowed());
    }

    private static IdentityProviderModel idp(String alias, String type) {
        IdentityProviderModel m = new IdentityProviderModel();
        m.setAlias(alias);
        m.setProviderId(type);
        return m;
    }
}

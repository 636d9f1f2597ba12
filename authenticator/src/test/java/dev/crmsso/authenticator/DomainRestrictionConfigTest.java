package dev.crmsso.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.provider.ProviderConfigProperty;

import dev.crmsso.testsupport.ConsoleMessages;

class DomainRestrictionConfigTest {

    static final String TENANT = "4f1c2b8e-6d7a-4e0b-9c3d-2a5e8f7b1c90";

    @Test
    void readsMultivaluedSettingsAsTheAdminConsoleAndTheEnvironmentWriteThem() {
        DomainRestrictionConfig config = DomainRestrictionConfig.of(Map.of(
                DomainRestrictionConfig.ALLOWED_DOMAINS, "acme.com##acme.pe, other.org",
                DomainRestrictionConfig.DOMAIN_GROUPS, "acme.pe=/staff/peru##broken##=/x," + TENANT.toUpperCase() + "=/staff/ms"));
        assertEquals(List.of("acme.com", "acme.pe", "other.org"), config.policy().allowedDomains());
        assertEquals(Optional.of("/staff/peru"), config.groupFor("ACME.PE"));
        assertEquals(Optional.empty(), config.groupFor("acme.com"));
        assertEquals(Optional.of("/staff/ms"), config.groupFor(TENANT), "a Microsoft login's group by its tenant id");
    }

    @Test
    void decidesTheKindByTypeAndIssuerNeverByAlias() {
        DomainRestrictionConfig defaults = DomainRestrictionConfig.of(Map.of());
        assertEquals(IdpKind.GOOGLE, defaults.kindOf(idp("corp-google", "google", Map.of())));
        assertEquals(IdpKind.MICROSOFT_GRAPH, defaults.kindOf(idp("ms", "microsoft", Map.of())));
        // an alias is no proof: "google" pointing elsewhere is another IdP, Google under any alias is Google
        assertEquals(IdpKind.OTHER, defaults.kindOf(idp("google", "oidc", Map.of("issuer", "https://sso.example.org"))));
        assertEquals(IdpKind.GOOGLE, defaults.kindOf(idp("corp-sso", "oidc", Map.of("issuer", "https://accounts.google.com"))));
        assertEquals(IdpKind.OTHER, defaults.kindOf(idp("microsoft", "oidc", Map.of("issuer", "https://okta.example.org"))));
        assertEquals(IdpKind.MICROSOFT_ENTRA, defaults.kindOf(idp("work", "oidc", Map.of(
                "authorizationUrl", "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize"))));
        DomainRestrictionConfig standIn = DomainRestrictionConfig.of(Map.of(
                DomainRestrictionConfig.GOOGLE_ISSUERS, "http://localhost:8180/google",
                DomainRestrictionConfig.MICROSOFT_ISSUERS, "http://localhost:8180/microsoft"));
        assertEquals(IdpKind.GOOGLE, standIn.kindOf(idp("x", "oidc", Map.of("issuer", "http://localhost:8180/google"))));
        assertEquals(IdpKind.MICROSOFT_ENTRA, standIn.kindOf(idp("y", "oidc",
                Map.of("jwksUrl", "http://localhost:8180/microsoft/jwks"))));
        assertEquals(IdpKind.OTHER, standIn.kindOf(idp("google", "oidc", Map.of("issuer", "http://localhost:8180/googlex"))));
    }

    @Test
    void defaultsAreTheSafeOnes() {
        DomainRestrictionConfig defaults = DomainRestrictionConfig.of(Map.of());
        assertEquals(true, defaults.createAccounts());
        assertEquals(false, defaults.showAllowedDomains());
        // nothing configured: nobody is allowed
        assertEquals(false, defaults.policy().decide(IdpKind.GOOGLE,
                BrokeredClaims.of("acme.com", null, null, "a@acme.com", true, null)).allowed());
        DomainRestrictionConfig tenant = DomainRestrictionConfig.of(Map.of(DomainRestrictionConfig.ALLOWED_TENANTS, TENANT));
        BrokeredClaims guest = new BrokeredClaims(null, TENANT, null, "pat@partner.example", null, false, null, null, "1",
                null, null);
        assertEquals("guest", tenant.policy().decide(IdpKind.MICROSOFT_ENTRA, guest).code(), "guests refused by default");
        assertEquals(true, DomainRestrictionConfig.of(Map.of(DomainRestrictionConfig.ALLOWED_TENANTS, TENANT,
                DomainRestrictionConfig.ADMIT_TENANT_GUESTS, "true")).policy().decide(IdpKind.MICROSOFT_ENTRA, guest)
                .allowed());
    }

    @Test
    void everySettingHasAHelpTextAndTheGuestSettingSaysWhoCanInvite() {
        ConsoleMessages messages = ConsoleMessages.ofModule();
        for (ProviderConfigProperty p : DomainRestrictionConfig.PROPERTIES) {
            assertTrue(messages.english(p.getHelpText()).length() > 20, p.getName());
        }
        ProviderConfigProperty guests = DomainRestrictionConfig.PROPERTIES.stream()
                .filter(p -> p.getName().equals(DomainRestrictionConfig.ADMIT_TENANT_GUESTS)).findFirst().orElseThrow();
        assertEquals("false", guests.getDefaultValue());
        assertTrue(messages.english(guests.getHelpText())
                .contains("anyone in an Entra tenant, guests included, can invite guests"));
    }

    @Test
    void namesTheRetiredAliasSettings() {
        assertEquals(List.of("googleAliases"), DomainRestrictionConfig.of(Map.of("googleAliases", "google")).retiredSettings());
    }

    private static IdentityProviderModel idp(String alias, String type, Map<String, String> config) {
        IdentityProviderModel m = new IdentityProviderModel();
        m.setAlias(alias);
        m.setProviderId(type);
        m.setConfig(new java.util.HashMap<>(config));
        return m;
    }
}

package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.crm.SampleCrm;

/**
 * Every page the bundle adds to Keycloak's admin console, walked in Chromium on the {@code crm} realm as imported
 * from the realm file, as an admin clicks to it from the realm's page: its labels and help texts, one setting
 * changed, saved, kept after a reload, and set back. Every page fails on a message key of the bundle left
 * untranslated and on a JavaScript error of the bundle ({@link AdminConsole#assertClean}); screenshots in
 * {@code target/admin-console/}. Each test also puts back through the admin REST API what it changed, should it
 * fail half-way, so that the other tests of the run find the realm as shipped.
 */
@ExtendWith(CrmSsoExtension.class)
class AdminConsoleIT {

    static final String REALM = "crm";
    static final String DOMAIN_STEP = "CRM SSO: allowed domains";

    private AdminConsole console;
    private RealmResource crm;

    @BeforeEach
    void signIn(KeycloakServer keycloak) {
        crm = keycloak.admin().realm(REALM);
        console = new AdminConsole(keycloak.baseUrl());
        console.openRealm(REALM, "CRM");
    }

    @AfterEach
    void closeBrowser() {
        if (console != null) {
            console.close();
        }
    }

    /** Authentication → the flow → the gear of "CRM SSO: allowed domains": the step's settings dialog. */
    @ParameterizedTest
    @CsvSource({"crm-sso post login, domain-step-post-login", "crm-sso first broker login, domain-step-first-broker-login"})
    void theDomainStepsSettingsDialog(String flow, String screenshot) {
        AuthenticatorConfigRepresentation shipped = stepConfig(flow);
        try {
            openDomainStepSettings(flow);
            console.assertShows("Allowed domains", "Allowed Microsoft tenant ids", "Admit guests of the allowed tenants",
                    "Create accounts for new users", "Domain groups", "More Google issuers");
            assertTrue(console.help("Allow subdomains").contains("sales.acme.com"), "help of Allow subdomains");
            assertTrue(console.help("Allowed domains").contains("hd"), "help of Allowed domains");
            console.assertClean(screenshot);

            boolean before = console.isOn("Allow subdomains");
            console.flip("Allow subdomains");
            assertEquals("Successfully saved the config", console.save(By.cssSelector("[role=dialog] [data-testid=save]")));
            assertEquals(String.valueOf(!before), stepConfig(flow).getConfig().get("allowSubdomains"), "saved");

            console.reload(By.cssSelector("[data-testid=addStep]"));
            openDomainStepSettings(flow);
            assertEquals(!before, console.isOn("Allow subdomains"), "kept after a reload");
            console.flip("Allow subdomains");
            assertEquals("Successfully saved the config", console.save(By.cssSelector("[role=dialog] [data-testid=save]")));
            console.reload(By.cssSelector("[data-testid=addStep]"));
            openDomainStepSettings(flow);
            assertEquals(before, console.isOn("Allow subdomains"), "set back");
            console.assertClean(screenshot + "-saved");
        } finally {
            crm.flows().updateAuthenticatorConfig(shipped.getId(), shipped);
        }
    }

    private void openDomainStepSettings(String flow) {
        console.menu("nav-item-authentication", "Authentication");
        console.openLink(flow);
        console.waitForTitle(flow);
        console.click(By.xpath("//*[@data-testid=" + AdminConsole.xpathString(DOMAIN_STEP) + "]/ancestor::*["
                + ".//button[@aria-label='Settings']][1]//button[@aria-label='Settings']"));
        console.visible(By.xpath("//*[@role='dialog']//*[normalize-space()=" + AdminConsole.xpathString(DOMAIN_STEP + " config") + "]"));
    }

    private AuthenticatorConfigRepresentation stepConfig(String flow) {
        return crm.flows().getExecutions(flow).stream()
                .filter(e -> "crm-sso-domain-restriction".equals(e.getProviderId()) && e.getAuthenticationConfig() != null)
                .map(e -> crm.flows().getAuthenticatorConfig(e.getAuthenticationConfig())).findFirst().orElseThrow();
    }

    /** User federation → crm: the CRM contacts federation's settings, the access key masked. */
    @Test
    void theCrmContactsFederationsSettings() {
        ComponentRepresentation shipped = federation();
        try {
            openFederation();
            console.assertShows("CRM base URL", "API user name", "Access key", "CRM flavour", "Username field",
                    "Read timeout (ms)", "Pause password login after");
            WebElement accessKey = console.field("Access key");
            assertEquals("password", accessKey.getAttribute("type"), "the access key is a password field");
            assertFalse(accessKey.getAttribute("value").contains(SampleCrm.ACCESS_KEY), "the key never reaches the page");
            assertTrue(console.help("Connect timeout (ms)").contains("accept a connection"), "help of Connect timeout");
            assertTrue(console.help("Read timeout (ms)").contains("unavailable"), "help of Read timeout");
            console.assertClean("federation");

            console.type("Connect timeout (ms)", "3100");
            assertEquals("User federation provider successfully saved", console.save(By.cssSelector("[data-testid=custom-save]")));
            console.reload(By.cssSelector("[data-testid=custom-save]"));
            console.until("connect timeout kept", b -> "3100".equals(console.field("Connect timeout (ms)").getAttribute("value")));
            // the page sent the masked key back: Keycloak kept the real one, and the CRM still takes it (a new
            // configuration logs in to the CRM anew; a search is never answered from Keycloak's cache)
            assertTrue(contactFound(), "the CRM still answers with the kept access key");

            console.type("Connect timeout (ms)", "3000");
            assertEquals("User federation provider successfully saved", console.save(By.cssSelector("[data-testid=custom-save]")));
            console.reload(By.cssSelector("[data-testid=custom-save]"));
            console.until("connect timeout set back", b -> "3000".equals(console.field("Connect timeout (ms)").getAttribute("value")));
            console.assertClean("federation-saved");
        } finally {
            crm.components().component(shipped.getId()).update(shipped);
        }
    }

    private void openFederation() {
        console.menu("nav-item-user-federation", "User federation");
        console.click(By.xpath("//*[@data-testid='keycloak-card-title']//a[normalize-space()='crm']"));
        console.waitForTitle("crm-contacts");
    }

    private ComponentRepresentation federation() {
        return crm.components().query(null, "org.keycloak.storage.UserStorageProvider").stream()
                .filter(c -> "crm".equals(c.getName())).findFirst().orElseThrow();
    }

    /** A search, which asks the CRM with the federation's API session, finds alice. */
    private boolean contactFound() {
        return crm.users().search(SampleCrm.ALICE_EMAIL, 0, 10).stream()
                .anyMatch(u -> SampleCrm.ALICE_EMAIL.equals(u.getUsername()));
    }
}

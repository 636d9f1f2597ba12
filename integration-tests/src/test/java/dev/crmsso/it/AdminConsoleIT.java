package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
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

    /**
     * More realms than the console's realm list shows on a page (10, in the server's order, not by name), as on a
     * server with many realms and in a whole test run, where every IT makes realms of its own: there {@code crm} was
     * on page 2 now and then.
     */
    static final List<String> REALMS_BEFORE_CRM = IntStream.range(0, 12).mapToObj(i -> String.format("admin-console-it-%02d", i))
            .toList();

    private AdminConsole console;
    private RealmResource crm;

    @BeforeAll
    static void manyRealms(KeycloakServer keycloak) {
        for (String name : REALMS_BEFORE_CRM) {
            RealmRepresentation realm = new RealmRepresentation();
            realm.setRealm(name);
            realm.setEnabled(true);
            keycloak.admin().realms().create(realm);
        }
    }

    @AfterAll
    static void fewerRealms(KeycloakServer keycloak) {
        REALMS_BEFORE_CRM.forEach(name -> keycloak.admin().realm(name).remove());
    }

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

    /**
     * An admin whose language is German sees the federation's settings in German: the user attribute {@code locale}
     * is what the console's whoami answers once the master realm has internationalization on (Keycloak's
     * LocaleSelectorProvider: the user's locale comes before the browser's, which stays English here), and the
     * console translates the bundle's labels and help texts with the user-storage JAR's messages_de.
     */
    @Test
    void anAdminWhoseLanguageIsGermanSeesTheFederationsSettingsInGerman(KeycloakServer keycloak) {
        RealmResource master = keycloak.admin().realm("master");
        RealmRepresentation shipped = master.toRepresentation();
        String germanAdmin = null;
        try {
            RealmRepresentation international = new RealmRepresentation();
            international.setInternationalizationEnabled(true);
            international.setSupportedLocales(Set.of("en", "de"));
            master.update(international);
            germanAdmin = createAdmin(master, "admin-de", "de");

            console.close();
            console = new AdminConsole(keycloak.baseUrl(), "admin-de", GERMAN_ADMIN_PASSWORD);
            console.openRealm(REALM, "CRM");
            console.click(By.cssSelector("[data-testid=nav-item-user-federation]"));
            console.click(By.xpath("//*[@data-testid='keycloak-card-title']//a[normalize-space()='crm']"));
            console.waitForTitle("crm-contacts");
            console.assertShows("Basis-URL des CRM", "Zugriffsschlüssel", "Verbindungs-Timeout (ms)", "Lese-Timeout (ms)",
                    "Passwort-Anmeldung pausieren nach");
            assertTrue(console.help("Verbindungs-Timeout (ms)").startsWith("Wie lange auf die Annahme einer Verbindung"),
                    "the German help of Connect timeout");
            assertFalse(console.pageText().contains("Connect timeout"), "no English label left");
            console.assertClean("federation-de");
        } finally {
            if (germanAdmin != null) {
                master.users().delete(germanAdmin).close();
            }
            RealmRepresentation back = new RealmRepresentation();
            back.setInternationalizationEnabled(Boolean.TRUE.equals(shipped.isInternationalizationEnabled()));
            back.setSupportedLocales(shipped.getSupportedLocales() == null ? Set.of() : shipped.getSupportedLocales());
            master.update(back);
        }
    }

    private static final String GERMAN_ADMIN_PASSWORD = "Admin-de-1";

    /** A master-realm admin with this locale, as an identity team would create one; its id. */
    private static String createAdmin(RealmResource master, String username, String locale) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@example.com");
        user.setEmailVerified(true);
        user.setFirstName("Admin");
        user.setLastName(locale);
        user.setAttributes(Map.of("locale", List.of(locale)));
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(GERMAN_ADMIN_PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        String id;
        try (Response created = master.users().create(user)) {
            assertEquals(201, created.getStatus(), "admin created");
            id = CreatedResponseUtil.getCreatedId(created);
        }
        master.users().get(id).roles().realmLevel().add(List.of(master.roles().get("admin").toRepresentation()));
        return id;
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

    /** Clients → mydbr: the Credentials tab's secret, the Advanced tab's text, the Keys tab. */
    @Test
    void theMydbrClientsTabs() {
        openMydbrClient();
        assertTrue(console.field("Description").getAttribute("value").contains("myDBR settings are in Client scopes, mydbr-dedicated, "
                + "answer settings"), "the Settings tab says where myDBR's settings are");
        console.assertClean("mydbr-client");

        console.click(By.xpath("//*[@data-testid='client-tabs']//a[normalize-space()='Credentials']"));
        WebElement secret = console.visible(By.id("kc-client-secret"));
        assertEquals("password", secret.getAttribute("type"), "the secret is masked");
        assertEquals(mydbr().getSecret(), secret.getAttribute("value"), "the SSO secret myDBR needs");
        console.assertShows("Client Secret", "Regenerate");
        console.assertClean("mydbr-credentials");

        console.tab("advancedTab");
        console.assertShows("Advanced settings", "Authentication flow overrides");
        console.assertClean("mydbr-advanced"); // Keycloak's console shows the key advancedSettingsMydbr unless we ship it
        assertTrue(console.pageText().contains("myDBR's own settings are in Client scopes, the client's dedicated scope, "
                + "mapper Answer settings"), "the Advanced tab says where myDBR's settings are");

        // Keycloak 26.7's console shows this tab for every confidential client and fills it for OIDC and SAML only
        // (ClientDetails.tsx): it stays empty for myDBR, and the Advanced tab's text says it does not apply
        console.tab("keysTab");
        console.visible(By.cssSelector("[data-testid=client-tabs]"));
        console.assertClean("mydbr-keys");
    }

    /**
     * Clients → mydbr → Client scopes → mydbr-dedicated → answer settings: the myDBR settings with their help texts,
     * one changed and set back; a refused value answered in words, logged once as a warning.
     */
    @Test
    void theMydbrAnswerSettingsMapper(KeycloakServer keycloak) {
        ProtocolMapperRepresentation shipped = answerSettings();
        try {
            openAnswerSettings();
            console.assertShows("Extras myDBR hashes", "User sent as", "myDBR local accounts", "Return URL parameter",
                    "Legacy hash", "Admin role");
            assertTrue(console.help("Extras myDBR hashes").contains("max_sso_extra_parameters"), "help of extras");
            assertTrue(console.help("User sent as").contains("fixed-form id"), "help of User sent as");
            assertTrue(console.help("myDBR local accounts").contains("re-split"), "help of local accounts");
            assertEquals("0", console.field("Extras myDBR hashes").getAttribute("value"));
            console.assertClean("mydbr-answer-settings");

            console.type("myDBR local accounts", "admin,reports");
            assertEquals("Mapping successfully updated", console.save(By.cssSelector("[data-testid=save]")));
            assertEquals("admin,reports", answerSettings().getConfig().get("mydbr.local.accounts"));
            console.reload(By.cssSelector("[data-testid=save]"));
            console.until("local accounts kept",
                    b -> "admin,reports".equals(console.field("myDBR local accounts").getAttribute("value")));
            console.type("myDBR local accounts", "admin");
            assertEquals("Mapping successfully updated", console.save(By.cssSelector("[data-testid=save]")));
            console.reload(By.cssSelector("[data-testid=save]"));
            console.until("local accounts set back",
                    b -> "admin".equals(console.field("myDBR local accounts").getAttribute("value")));

            // a value the protocol cannot use: refused, in words, and one warning in the log (no ERROR)
            int logged = logLines(keycloak, "mapper 'answer settings' of client mydbr (realm crm) not saved").size();
            console.type("Extras myDBR hashes", "1000");
            console.dismissAlerts();
            console.click(By.cssSelector("[data-testid=save]"));
            assertEquals("Could not update mapping: 'Extras myDBR hashes takes a whole number from 0 to 999, myDBR's "
                    + "max_sso_extra_parameters: 1000 is not one.'", console.alert());
            console.assertClean("mydbr-answer-settings-refused");
            console.dismissAlerts();
            console.forgetErrors(); // the refusal's 400 is the answer asked for
            List<String> lines = logLines(keycloak, "mapper 'answer settings' of client mydbr (realm crm) not saved");
            assertEquals(logged + 1, lines.size(), "one line for the admin: " + lines);
            assertTrue(lines.get(lines.size() - 1).contains(" WARN "), lines.get(lines.size() - 1));
            assertEquals(List.of(), logLines(keycloak, "mydbrInvalid"), "no message key in the log");
            assertEquals("0", answerSettings().getConfig().get("mydbr.extras.accepted"), "nothing saved");
            console.reload(By.cssSelector("[data-testid=save]"));
            console.until("the refused value is gone",
                    b -> "0".equals(console.field("Extras myDBR hashes").getAttribute("value")));
        } finally {
            crm.clients().get(mydbr().getId()).getProtocolMappers().update(shipped.getId(), shipped);
        }
    }

    private void openMydbrClient() {
        console.menu("nav-item-clients", "Clients");
        console.openLink("mydbr");
        console.waitForTitle("mydbr");
    }

    private void openAnswerSettings() {
        openMydbrClient();
        console.tab("clientScopesTab");
        console.openLink("mydbr-dedicated");
        console.waitForTitle("mydbr-dedicated");
        console.openLink("answer settings");
        console.waitForTitle("Answer settings");
    }

    private ClientRepresentation mydbr() {
        ClientRepresentation client = crm.clients().findByClientId("mydbr").get(0);
        client.setSecret(crm.clients().get(client.getId()).getSecret().getValue());
        return client;
    }

    private ProtocolMapperRepresentation answerSettings() {
        return crm.clients().get(mydbr().getId()).getProtocolMappers().getMappers().stream()
                .filter(m -> "answer settings".equals(m.getName())).findFirst().orElseThrow();
    }

    private static List<String> logLines(KeycloakServer keycloak, String containing) {
        return keycloak.log().lines().filter(l -> l.contains(containing)).toList();
    }

    /** Identity providers → Google → Mappers → crm-sso domain check. */
    @Test
    void theIdpsDomainCheckMapper() {
        IdentityProviderMapperRepresentation shipped = domainCheck();
        try {
            openDomainCheck();
            console.assertShows("CRM SSO: allowed domains, before anything is written");
            assertTrue(console.popover(console.visible(By.cssSelector("[data-testid=help-label-mapperType]")))
                    .contains("before Keycloak links, looks up or updates an account"), "the mapper's help text");
            console.assertClean("idp-domain-check");

            assertEquals("Inherit", console.field("Sync mode override").getText());
            By save = By.cssSelector("[data-testid=new-mapper-save-button]");
            console.chooseSaveAndReload("Sync mode override", "Force", save, "Mapper saved successfully.");
            assertEquals("FORCE", domainCheck().getConfig().get("syncMode"));
            console.chooseSaveAndReload("Sync mode override", "Inherit", save, "Mapper saved successfully.");
            console.assertClean("idp-domain-check-saved");
        } finally {
            crm.identityProviders().get("google").update(shipped.getId(), shipped);
        }
    }

    private void openDomainCheck() {
        console.menu("nav-item-identity-providers", "Identity providers");
        console.openLink("Google");
        console.click(By.xpath("//a[@role='tab' or @data-testid][normalize-space()='Mappers']"));
        console.openLink("crm-sso domain check");
        console.waitForTitle("Edit Identity Provider Mapper");
    }

    private IdentityProviderMapperRepresentation domainCheck() {
        return crm.identityProviders().get("google").getMappers().stream()
                .filter(m -> "crm-sso domain check".equals(m.getName())).findFirst().orElseThrow();
    }

    /** Authentication → Required actions → CRM group sync: enabled, no gear (nothing to configure per realm). */
    @Test
    void theGroupSyncRequiredAction() {
        RequiredActionProviderRepresentation shipped = crm.flows().getRequiredAction("crm-group-sync");
        try {
            openRequiredActions();
            By row = By.xpath("//tr[@id='CRM group sync']");
            console.visible(row);
            assertEquals(List.of(), console.browser.findElement(row).findElements(By.cssSelector("button[aria-label=Settings]")),
                    "no gear: Keycloak's generic Maximum Age of Authentication means nothing for the sync");
            assertTrue(rowSwitch().isSelected(), "enabled as shipped");
            console.assertClean("required-action");

            flipRowSwitch();
            assertFalse(crm.flows().getRequiredAction("crm-group-sync").isEnabled(), "saved");
            console.reload(row);
            console.until("off after a reload", b -> !rowSwitch().isSelected());
            flipRowSwitch();
            console.reload(row);
            console.until("on again", b -> rowSwitch().isSelected());
            assertTrue(crm.flows().getRequiredAction("crm-group-sync").isEnabled());
            console.assertClean("required-action-saved");
        } finally {
            crm.flows().updateRequiredAction("crm-group-sync", shipped);
        }
    }

    private void openRequiredActions() {
        console.menu("nav-item-authentication", "Authentication");
        console.click(By.xpath("//a[@role='tab' or @data-testid][normalize-space()='Required actions']"));
    }

    /** The row's first switch: Enabled. */
    private WebElement rowSwitch() {
        return console.browser.findElement(By.xpath("//tr[@id='CRM group sync']//input[@type='checkbox']"));
    }

    private void flipRowSwitch() {
        boolean before = rowSwitch().isSelected();
        console.dismissAlerts();
        rowSwitch().findElement(By.xpath("./ancestor::label[1]")).click();
        assertEquals("Updated required action successfully", console.alert());
        console.until("switch flipped", b -> rowSwitch().isSelected() != before);
    }

    /** Realm settings → Themes: the login theme crm-sso. */
    @Test
    void theLoginThemeSetting() {
        RealmRepresentation shipped = crm.toRepresentation();
        try {
            openRealmSettingsTab("rs-themes-tab");
            console.until("login theme crm-sso", b -> "crm-sso".equals(console.field("Login theme").getText()));
            console.assertClean("themes");

            By save = By.cssSelector("[data-testid=themes-tab-save]");
            console.chooseSaveAndReload("Login theme", "keycloak.v2", save, "Realm successfully updated");
            assertEquals("keycloak.v2", crm.toRepresentation().getLoginTheme());
            console.chooseSaveAndReload("Login theme", "crm-sso", save, "Realm successfully updated");
            console.assertClean("themes-saved");
        } finally {
            RealmRepresentation back = new RealmRepresentation();
            back.setLoginTheme(shipped.getLoginTheme());
            crm.update(back);
        }
    }

    /** Realm settings → Events: the listener crm-group-sync. */
    @Test
    void theGroupSyncListenerSetting() {
        List<String> shipped = List.copyOf(crm.getRealmEventsConfig().getEventsListeners());
        assertTrue(shipped.contains("crm-group-sync"), "shipped: " + shipped);
        try {
            openRealmSettingsTab("rs-realm-events-tab");
            By listeners = By.id("eventsListeners");
            console.until("the listener chip", b -> chips().contains("crm-group-sync"));
            console.assertClean("events");

            console.click(By.xpath("//*[@id='eventsListeners']//*[contains(concat(' ', @class, ' '), ' pf-v5-c-chip ')]"
                    + "[.//*[normalize-space()='crm-group-sync']]//button"));
            console.until("chip removed", b -> !chips().contains("crm-group-sync"));
            assertEquals("Event listener has been updated.", console.save(By.cssSelector("[data-testid=saveEventListenerBtn]")));
            assertFalse(crm.getRealmEventsConfig().getEventsListeners().contains("crm-group-sync"), "saved");
            console.reload(listeners);
            console.until("kept", b -> chips().contains("jboss-logging") && !chips().contains("crm-group-sync"));

            WebElement input = console.visible(By.cssSelector("#eventsListeners input"));
            input.sendKeys("crm-group");
            console.pickOption("Event listeners", "crm-group-sync");
            console.until("chip added", b -> chips().contains("crm-group-sync"));
            // the typeahead's menu stays open over the Save button: click beside it (Escape would clear the field)
            console.click(By.cssSelector("h1[data-testid=view-header]"));
            console.until("menu closed", b -> b.findElements(By.xpath("//*[@role='option']")).isEmpty());
            assertEquals("Event listener has been updated.", console.save(By.cssSelector("[data-testid=saveEventListenerBtn]")));
            console.reload(listeners);
            console.until("set back", b -> chips().contains("crm-group-sync"));
            console.assertClean("events-saved");
        } finally {
            var config = crm.getRealmEventsConfig();
            config.setEventsListeners(shipped);
            crm.updateRealmEventsConfig(config);
        }
    }

    private List<String> chips() {
        return console.browser.findElements(By.cssSelector("#eventsListeners .pf-v5-c-chip__text")).stream()
                .map(WebElement::getText).toList();
    }

    private void openRealmSettingsTab(String tab) {
        console.menu("nav-item-realm-settings", "CRM");
        console.tab(tab);
    }

    /** Users → a CRM contact: what the federation publishes, read-only; Created at is a date. */
    @Test
    void aCrmContactsUserPage() {
        console.menu("nav-item-users", "Users");
        WebElement search = console.visible(By.cssSelector("[data-testid=table-search-input] input"));
        search.sendKeys(SampleCrm.ALICE_EMAIL, Keys.ENTER);
        console.openLink(SampleCrm.ALICE_EMAIL);
        console.waitForTitle(SampleCrm.ALICE_EMAIL);
        for (Map.Entry<String, String> shown : Map.of("CRM account", "Acme Corp", "Phone", "+34 91 555 8001").entrySet()) {
            WebElement field = console.field(shown.getKey());
            assertEquals(shown.getValue(), field.getAttribute("value"), shown.getKey());
            assertFalse(field.isEnabled() && field.getAttribute("readonly") == null, shown.getKey() + " is read-only");
        }
        console.assertShows("CRM account id", "CRM groups", "CRM contact number", "Created at");
        assertFalse(console.pageText().contains("Invalid Date"), "Created at is a date");
        console.assertClean("user-crm-contact");
    }
}

package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.AuthenticationManagementResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.crmsso.testsupport.Chromium;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestApp;
import dev.crmsso.testsupport.TestStack;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * The domain step in a realm's first broker login and post login flows, with the OIDC stand-in as
 * Google and Microsoft, through the real browser flow.
 */
@ExtendWith(CrmSsoExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainRestrictionIT {

    static final String REALM = "domains-it";
    static final String PROVIDER = "crm-sso-domain-restriction";
    static final String FIRST_LOGIN_FLOW = "crm-sso first broker login";
    static final String POST_LOGIN_FLOW = "crm-sso post login";
    static final String ACME = TestStack.ACME_DOMAIN;
    static final String TENANT = TestStack.ACME_TENANT;
    static final String CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

    private KeycloakServer keycloak;
    private MockOAuth2Server oidc;
    private RealmResource realm;
    private ChromeDriver browser;

    @BeforeAll
    void createRealm(KeycloakServer keycloak, MockOAuth2Server oidc) {
        this.keycloak = keycloak;
        this.oidc = oidc;
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(REALM);
        rep.setEnabled(true);
        rep.setEventsEnabled(true);
        rep.setLoginTheme("crm-sso");
        rep.setInternationalizationEnabled(true);
        rep.setSupportedLocales(java.util.Set.of("en", "es"));
        rep.setDefaultLocale("en");
        keycloak.admin().realms().create(rep);
        realm = keycloak.admin().realm(REALM);

        AuthenticationManagementResource flows = realm.flows();
        flows.copy("first broker login", Map.of("newName", FIRST_LOGIN_FLOW)).close();
        addStep(flows, FIRST_LOGIN_FLOW, true);
        AuthenticationFlowRepresentation postLogin = new AuthenticationFlowRepresentation();
        postLogin.setAlias(POST_LOGIN_FLOW);
        postLogin.setProviderId("basic-flow");
        postLogin.setTopLevel(true);
        flows.createFlow(postLogin).close();
        addStep(flows, POST_LOGIN_FLOW, false);
        configure(Map.of());
        // a domain rule's group is the admin's to create
        GroupRepresentation staff = new GroupRepresentation();
        staff.setName("staff");
        realm.groups().add(staff).close();
        GroupRepresentation acme = new GroupRepresentation();
        acme.setName("acme");
        realm.groups().group(realm.groups().groups("staff", 0, 1, false).get(0).getId()).subGroup(acme).close();

        for (String alias : List.of(TestStack.GOOGLE, TestStack.MICROSOFT)) {
            IdentityProviderRepresentation idp = StandInIdps.add(realm, oidc, alias);
            idp.setFirstBrokerLoginFlowAlias(FIRST_LOGIN_FLOW);
            idp.setPostBrokerLoginFlowAlias(POST_LOGIN_FLOW);
            realm.identityProviders().get(alias).update(idp);
        }
    }

    /** Adds the step to a flow, first and required, with an (empty) config of its own. */
    private static void addStep(AuthenticationManagementResource flows, String flow, boolean first) {
        flows.addExecution(flow, Map.of("provider", PROVIDER));
        while (first && !PROVIDER.equals(firstStep(flows, flow).getProviderId())) {
            flows.raisePriority(step(flows, flow).getId());
        }
        AuthenticationExecutionInfoRepresentation step = step(flows, flow);
        step.setRequirement("REQUIRED");
        flows.updateExecutions(flow, step);
        AuthenticatorConfigRepresentation config = new AuthenticatorConfigRepresentation();
        config.setAlias(flow + " domains");
        config.setConfig(new HashMap<>());
        flows.newExecutionConfig(step.getId(), config).close();
        if (first) {
            assertEquals(PROVIDER, firstStep(flows, flow).getProviderId(), "the step runs first in " + flow);
        }
    }

    private static AuthenticationExecutionInfoRepresentation firstStep(AuthenticationManagementResource flows, String flow) {
        return flows.getExecutions(flow).stream().filter(e -> e.getLevel() == 0).findFirst().orElseThrow();
    }

    private static AuthenticationExecutionInfoRepresentation step(AuthenticationManagementResource flows, String flow) {
        return flows.getExecutions(flow).stream().filter(e -> PROVIDER.equals(e.getProviderId())).findFirst().orElseThrow();
    }

    /** The settings of both steps: the defaults of this test plus {@code overrides}. */
    private void configure(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "allowedDomains", ACME + "##acme.pe",
                "allowedTenants", "",
                "domainGroups", ACME + "=/staff/acme"));
        settings.putAll(overrides);
        AuthenticationManagementResource flows = realm.flows();
        for (String flow : List.of(FIRST_LOGIN_FLOW, POST_LOGIN_FLOW)) {
            AuthenticatorConfigRepresentation config = flows.getAuthenticatorConfig(step(flows, flow).getAuthenticationConfig());
            config.setConfig(settings);
            flows.updateAuthenticatorConfig(config.getId(), config);
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    /** Clicks "Continue with ..." on the realm's login page; the stand-in answers with {@code claims}. */
    private void loginWith(String alias, String subject, Map<String, Object> claims, String language) {
        StandInIdps.nextLogin(oidc, alias, subject, claims);
        browser = Chromium.start(1280, 900, language);
        browser.get(TestApp.loginUrl(keycloak, REALM));
        browser.findElement(By.id("social-" + alias)).click();
    }

    private boolean loggedIn() {
        return TestApp.receivedCode(keycloak, REALM, browser.getCurrentUrl());
    }

    private String refusal() {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("crm-sso-refusal-message"))).getText();
    }

    private List<UserRepresentation> users(String email) {
        return realm.users().searchByEmail(email, true);
    }

    private EventRepresentation lastError(String error) {
        return realm.getEvents(List.of("IDENTITY_PROVIDER_LOGIN_ERROR"), null, null, null, null, null, 0, 100).stream()
                .filter(e -> error.equals(e.getError())).findFirst().orElseThrow(() -> new AssertionError("no " + error + " event"));
    }

    private static Map<String, Object> google(String email, String hd) {
        Map<String, Object> claims = new HashMap<>(Map.of("email", email, "email_verified", true,
                "given_name", "Test", "family_name", "User"));
        if (hd != null) {
            claims.put("hd", hd);
        }
        return claims;
    }

    private static Map<String, Object> microsoft(String upn, String email, String tid) {
        return Map.of("preferred_username", upn, "email", email, "tid", tid, "given_name", "Test", "family_name", "User");
    }

    @Test
    void workspaceAccountOfAnAllowedDomainGetsInWithAnAccountAndItsDomainGroup() {
        loginWith("google", "g-ann", google("ann@" + ACME, ACME), "en");
        assertTrue(loggedIn(), "logged in: " + browser.getCurrentUrl());
        UserRepresentation ann = users("ann@" + ACME).get(0);
        assertTrue(realm.users().get(ann.getId()).groups().stream().anyMatch(g -> g.getPath().equals("/staff/acme")),
                "member of /staff/acme");
        assertEquals("google", realm.users().get(ann.getId()).getFederatedIdentity().get(0).getIdentityProvider());
    }

    @Test
    void aDomainGroupThatDoesNotExistIsReportedAndNotCreated() {
        configure(Map.of("domainGroups", ACME + "=/staff/peru"));
        try {
            loginWith("google", "g-pia", google("pia@" + ACME, ACME), "en");
            assertTrue(loggedIn(), "logged in: " + browser.getCurrentUrl());
            assertEquals(List.of(), realm.users().get(users("pia@" + ACME).get(0).getId()).groups());
            assertTrue(realm.groups().groups("peru", 0, 10, false).stream().noneMatch(g -> g.getPath().contains("peru")),
                    "no group created by the domain step");
            assertTrue(keycloak.log().contains("the domain group /staff/peru does not exist"), "the admin is told");
        } finally {
            configure(Map.of());
        }
    }

    @Test
    void consumerGmailWithACompanyLookingEmailIsRefusedAndNoAccountIsCreated() {
        loginWith("google", "g-gmail", google("mallory@" + ACME, null), "en");
        assertEquals("The account mallory@" + ACME + " is not part of an organisation allowed to sign in here.", refusal());
        assertEquals(List.of(), users("mallory@" + ACME));
        EventRepresentation event = lastError("domain_not_allowed");
        assertEquals("google", event.getDetails().get("identity_provider"));
        assertEquals(ACME, event.getDetails().get("domain"));
        assertTrue(keycloak.log().contains("Refused google login of mallory@" + ACME), "a log line for the admin");
    }

    @Test
    void anotherCompanysWorkspaceIsRefusedInTheBrowsersLanguage() {
        loginWith("google", "g-olivia", google("olivia@other.example", "other.example"), "es");
        assertEquals("La cuenta olivia@other.example no pertenece a una organización autorizada para ingresar aquí.", refusal());
        Chromium.screenshot(browser, LoginThemeIT.SCREENSHOTS.resolve("refused-domain-es.png"));
        assertEquals("other.example", lastError("domain_not_allowed").getDetails().get("domain"));
        assertEquals(List.of(), users("olivia@other.example"));
    }

    @Test
    void microsoftAllowedTenantGetsInAndAPersonalAccountDoesNot() {
        configure(Map.of("allowedTenants", TENANT));
        try {
            loginWith("microsoft", "m-carol", microsoft("carol@" + ACME, "carol@" + ACME, TENANT), "en");
            assertTrue(loggedIn(), "logged in: " + browser.getCurrentUrl());
            closeBrowser();
            loginWith("microsoft", "m-dave", microsoft("dave@outlook.com", "dave@" + ACME, CONSUMER_TENANT), "en");
            assertTrue(refusal().contains("dave@" + ACME), "refused, named by the account");
            Chromium.screenshot(browser, LoginThemeIT.SCREENSHOTS.resolve("refused-domain-en.png"));
            assertEquals(List.of(), users("dave@" + ACME));
        } finally {
            configure(Map.of());
        }
    }

    @Test
    void withAccountCreationOffNewcomersAreRefusedAndKnownPeopleGetIn() {
        loginWith("google", "g-known", google("known@" + ACME, ACME), "en");
        assertTrue(loggedIn());
        closeBrowser();
        configure(Map.of("createAccounts", "false"));
        try {
            loginWith("google", "g-new", google("newcomer@" + ACME, ACME), "en");
            assertEquals("There is no account for newcomer@" + ACME + " here yet, and accounts are not created "
                    + "automatically. Ask your administrator for one.", refusal());
            assertEquals(List.of(), users("newcomer@" + ACME));
            lastError("account_creation_disabled");
            closeBrowser();
            loginWith("google", "g-known", google("known@" + ACME, ACME), "en");
            assertTrue(loggedIn(), "an existing account still logs in: " + browser.getCurrentUrl());
        } finally {
            configure(Map.of());
        }
    }

    @Test
    void removingTheDomainRefusesPeopleWhoLoggedInBefore() {
        loginWith("google", "g-peru", google("pia@acme.pe", "acme.pe"), "en");
        assertTrue(loggedIn());
        closeBrowser();
        String pia = users("pia@acme.pe").get(0).getId();
        int sessions = realm.users().get(pia).getUserSessions().size();
        configure(Map.of("allowedDomains", ACME));
        try {
            loginWith("google", "g-peru", google("pia@acme.pe", "acme.pe"), "en");
            assertTrue(refusal().contains("pia@acme.pe"));
            assertEquals("acme.pe", lastError("domain_not_allowed").getDetails().get("domain"));
            assertEquals(sessions, realm.users().get(pia).getUserSessions().size(), "no session from the refused login");
        } finally {
            configure(Map.of());
        }
    }

    @Test
    void neverLinksToAnExistingAccountByItsEmail() {
        UserRepresentation linda = new UserRepresentation();
        linda.setUsername("linda");
        linda.setEmail("linda@" + ACME);
        linda.setEmailVerified(true);
        linda.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType("password");
        password.setValue("linda-secret");
        password.setTemporary(false);
        linda.setCredentials(List.of(password));
        realm.users().create(linda).close();
        String id = realm.users().search("linda", true).get(0).getId();

        loginWith("google", "g-impostor", google("linda@" + ACME, ACME), "en");
        assertFalse(loggedIn(), "not logged in as the existing account");
        assertTrue(browser.getPageSource().contains("linda"), "asked to confirm / re-authenticate the existing account");
        assertEquals(List.of(), realm.users().get(id).getFederatedIdentity(), "no IdP link made by email");
    }
}

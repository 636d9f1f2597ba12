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
            withTheStep(StandInIdps.add(realm, oidc, alias));
        }
    }

    /** The IdP runs the step in both flows and has the guard mapper (the step's policy before anything is written). */
    private void withTheStep(IdentityProviderRepresentation idp) {
        idp.setFirstBrokerLoginFlowAlias(FIRST_LOGIN_FLOW);
        idp.setPostBrokerLoginFlowAlias(POST_LOGIN_FLOW);
        realm.identityProviders().get(idp.getAlias()).update(idp);
        StandInIdps.guard(realm, idp.getAlias());
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
                "domainGroups", ACME + "=/staff/acme",
                // the stand-in plays Google and Entra ID: its issuers get their rules, whatever the IdP's alias
                "googleIssuers", oidc.issuerUrl(TestStack.GOOGLE).toString(),
                "microsoftIssuers", oidc.issuerUrl(TestStack.MICROSOFT).toString()));
        settings.putAll(overrides);
        AuthenticationManagementResource flows = realm.flows();
        for (String flow : List.of(FIRST_LOGIN_FLOW, POST_LOGIN_FLOW)) {
            AuthenticatorConfigRepresentation config = flows.getAuthenticatorConfig(step(flows, flow).getAuthenticationConfig());
            config.setConfig(settings);
            flows.updateAuthenticatorConfig(config.getId(), config);
        }
    }

    @AfterEach
    void closeBrowserAndForgetUnusedLogins() {
        closeBrowser();
        StandInIdps.forgetUnused(oidc);
    }

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
        try {
            // the click returns before the browser has followed every redirect: wait for the app or a page of Keycloak's
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(b -> TestApp.receivedCode(keycloak, REALM,
                    b.getCurrentUrl()) || !b.findElements(By.id("crm-sso-refusal-message")).isEmpty()
                    || !b.findElements(By.id("kc-page-title")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
        return TestApp.receivedCode(keycloak, REALM, browser.getCurrentUrl());
    }

    private String refusal() {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(15))
                    .until(ExpectedConditions.presenceOfElementLocated(By.id("crm-sso-refusal-message"))).getText();
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no refusal page: at " + browser.getCurrentUrl() + ", page " + browser.getTitle()
                    + ": " + browser.findElement(By.tagName("body")).getText().replace('\n', ' '), e);
        }
    }

    /** A local user {@code name@acme.example} with a password; returns its id. */
    private String localUser(String name, String secret) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(name);
        user.setEmail(name + "@" + ACME);
        user.setEmailVerified(true);
        user.setFirstName(name);
        user.setLastName("Local");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType("password");
        password.setValue(secret);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        realm.users().create(user).close();
        return realm.users().search(name, true).get(0).getId();
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
        return new HashMap<>(Map.of("preferred_username", upn, "email", email, "tid", tid, "given_name", "Test",
                "family_name", "User"));
    }

    private EventRepresentation lastError(String type, String error) {
        return realm.getEvents(List.of(type), null, null, null, null, null, 0, 100).stream()
                .filter(e -> error.equals(e.getError())).findFirst().orElseThrow(() -> new AssertionError("no " + error + " event"));
    }

    /** What a refused login must leave as it was: the account's profile, its IdP links and its sessions. */
    private record AccountState(String username, String email, String firstName, String lastName,
            Map<String, List<String>> attributes, List<String> links, int sessions) {
    }

    private AccountState state(String id) {
        UserRepresentation u = realm.users().get(id).toRepresentation();
        return new AccountState(u.getUsername(), u.getEmail(), u.getFirstName(), u.getLastName(), u.getAttributes(),
                realm.users().get(id).getFederatedIdentity().stream()
                        .map(f -> f.getIdentityProvider() + ":" + f.getUserId() + ":" + f.getUserName()).sorted().toList(),
                realm.users().get(id).getUserSessions().size());
    }

    private static Map<String, Object> renamed(Map<String, Object> claims, Object... more) {
        Map<String, Object> out = new HashMap<>(claims);
        out.put("given_name", "Mal");
        out.put("family_name", "Icious");
        for (int i = 0; i < more.length; i += 2) {
            out.put((String) more[i], more[i + 1]);
        }
        return out;
    }

    // ---- issue 15: each attack as a test, refused before anything is written ----

    /** 1. B2B guests of an allowed tenant carry that tenant's tid: refused by each sign Entra documents. */
    @Test
    void guestsOfAnAllowedTenantAreRefusedUnlessTheAdminAdmitsThem() {
        configure(Map.of("allowedTenants", TENANT));
        try {
            List<Map<String, Object>> guests = List.of(
                    Map.of("acct", 1),
                    Map.of("upn", "pat_partner.example#EXT#@acmeexample.onmicrosoft.com"),
                    Map.of("idp", "https://sts.windows.net/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d/"));
            int n = 0;
            for (Map<String, Object> sign : guests) {
                Map<String, Object> claims = microsoft("pat" + n + "@partner.example", "pat" + n + "@partner.example", TENANT);
                claims.putAll(sign);
                loginWith("microsoft", "m-guest-" + n, claims, "en");
                assertEquals("The account pat" + n + "@partner.example is a guest in the organisation's directory, not one "
                        + "of its own accounts, so it cannot sign in here.", refusal(), "guest sign " + sign);
                EventRepresentation event = lastError("domain_not_allowed");
                assertEquals("guest", event.getDetails().get("reason"), "the event says guest: " + event.getDetails());
                assertEquals(TENANT, event.getDetails().get("tenant"));
                assertEquals(List.of(), users("pat" + n + "@partner.example"));
                closeBrowser();
                n++;
            }
            configure(Map.of("allowedTenants", TENANT, "admitTenantGuests", "true"));
            Map<String, Object> admitted = microsoft("gina@partner.example", "gina@partner.example", TENANT);
            admitted.put("acct", 1);
            loginWith("microsoft", "m-guest-admitted", admitted, "en");
            assertTrue(loggedIn(), "an admitted guest gets in: " + browser.getCurrentUrl());
        } finally {
            configure(Map.of());
        }
    }

    /** 2. Entra ID is decided on tid alone: a foreign tenant's UPN / preferred_username at our domain decides nothing. */
    @Test
    void microsoftWithoutAllowedTenantsRefusesEvenAnAllowedUpnDomainAndSaysWhy() {
        Map<String, Object> claims = microsoft("bob@" + ACME, "bob@" + ACME, "7d2e9a41-3b5c-4f60-8e1d-0c9b8a7f6e5d");
        claims.put("upn", "bob@" + ACME);
        loginWith("microsoft", "m-bob", claims, "en");
        assertTrue(refusal().contains("bob@" + ACME));
        assertEquals("no_allowed_tenants", lastError("domain_not_allowed").getDetails().get("reason"));
        assertTrue(keycloak.log().contains("Microsoft logins are decided on the tenant id (tid) alone, and no Allowed "
                + "Microsoft tenant ids are set"), "the log says why");
        assertEquals(List.of(), users("bob@" + ACME));
    }

    /**
     * Logs in once (allowed), then again as the same IdP subject with claims the step refuses and another email and
     * names (which sync mode FORCE would write): the account is left exactly as the first login made it.
     */
    private void aRefusedLaterLoginChangesNothing(String alias, String subject, Map<String, Object> first,
            Map<String, Object> later) {
        loginWith(alias, subject, first, "en");
        assertTrue(loggedIn(), "first login: " + browser.getCurrentUrl());
        closeBrowser();
        String id = users((String) first.get("email")).get(0).getId();
        AccountState before = state(id);
        loginWith(alias, subject, renamed(later), "en");
        assertTrue(refusal().contains((String) later.get("email")));
        assertEquals(before, state(id), "no email, name, attribute, link or session changed by the refused login");
        assertEquals(List.of(), users((String) later.get("email")));
    }

    /** 3. A refused later login (sync mode FORCE) leaves the account as it was: Google. */
    @Test
    void aRefusedLaterGoogleLoginChangesNothing() {
        aRefusedLaterLoginChangesNothing("google", "g-gail", google("gail@" + ACME, ACME),
                google("shadow@other.example", "other.example"));
    }

    /** 3. The same for Microsoft: a later login from another tenant. */
    @Test
    void aRefusedLaterMicrosoftLoginChangesNothing() {
        configure(Map.of("allowedTenants", TENANT));
        try {
            aRefusedLaterLoginChangesNothing("microsoft", "m-mia", microsoft("mia@" + ACME, "mia@" + ACME, TENANT),
                    microsoft("mia@other.example", "mia@other.example", "7d2e9a41-3b5c-4f60-8e1d-0c9b8a7f6e5d"));
        } finally {
            configure(Map.of());
        }
    }

    /** 3. Without the guard mapper the post login step still refuses, and the log says what was already written. */
    @Test
    void withoutTheGuardMapperTheStepStillRefusesAndTheLogSaysTheAccountWasUpdated() {
        IdentityProviderRepresentation plain = StandInIdps.add(realm, oidc, "plain-google", TestStack.GOOGLE);
        plain.setFirstBrokerLoginFlowAlias(FIRST_LOGIN_FLOW);
        plain.setPostBrokerLoginFlowAlias(POST_LOGIN_FLOW);
        realm.identityProviders().get(plain.getAlias()).update(plain);
        for (String hd : List.of(ACME, "other.example")) {
            StandInIdps.nextLogin(oidc, TestStack.GOOGLE, "plain-google", "g-plain", StandInIdps.clientId("plain-google"),
                    google("paula@" + hd, hd));
            browser = Chromium.start(1280, 900, "en");
            browser.get(TestApp.loginUrl(keycloak, REALM));
            browser.findElement(By.id("social-plain-google")).click();
            if (hd.equals(ACME)) {
                assertTrue(loggedIn(), "first login: " + browser.getCurrentUrl());
                closeBrowser();
            }
        }
        assertTrue(refusal().contains("paula@other.example"), "refused by the post login step");
        assertTrue(keycloak.log().contains("identity provider plain-google has no crm-sso-domain-guard mapper, so this "
                + "refused login was stopped only after Keycloak had updated the account"), "the admin is told");
    }

    /** 4. Linking (kc_action=idp_link) passes the same policy: a consumer Gmail is not linked to a local user. */
    @Test
    void linkingAnAccountPassesTheSamePolicy() {
        String id = localUser("lara", "lara-secret-1");

        StandInIdps.nextLogin(oidc, "google", "g-lara-gmail", google("lara.private@gmail.com", null));
        browser = Chromium.start(1280, 900, "en");
        browser.get(TestApp.loginUrl(keycloak, REALM) + "&kc_action=idp_link:google");
        browser.findElement(By.id("username")).sendKeys("lara");
        browser.findElement(By.id("password")).sendKeys("lara-secret-1");
        browser.findElement(By.id("kc-login")).click();
        // Keycloak asks "Do you want to link your account with google?"
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//*[(self::button or self::input) and (normalize-space()='Continue' or @value='Continue')]"))).click();
        assertTrue(refusal().contains("lara.private@gmail.com"), "the link is refused with the page");
        assertEquals(List.of(), realm.users().get(id).getFederatedIdentity(), "no IdP link");
        assertEquals("no_hosted_domain", lastError("IDENTITY_PROVIDER_LINK_ACCOUNT_ERROR", "domain_not_allowed")
                .getDetails().get("reason"));
    }

    /** 4. The IdP kind comes from what the IdP is: Google's issuer under another alias still gets Google's rules. */
    @Test
    void googleUnderAnotherAliasGetsGooglesRules() {
        withTheStep(StandInIdps.add(realm, oidc, "corp-sso", TestStack.GOOGLE));
        StandInIdps.nextLogin(oidc, TestStack.GOOGLE, "corp-sso", "g-corp", StandInIdps.clientId("corp-sso"),
                google("cora@" + ACME, null));
        browser = Chromium.start(1280, 900, "en");
        browser.get(TestApp.loginUrl(keycloak, REALM));
        browser.findElement(By.id("social-corp-sso")).click();
        assertTrue(refusal().contains("cora@" + ACME), "a verified email without hd is no Workspace account");
        assertEquals("no_hosted_domain", lastError("domain_not_allowed").getDetails().get("reason"));
        assertEquals(List.of(), users("cora@" + ACME));
    }

    /** 5. A claim cannot forge a line of the server log, through the email or the UPN. */
    @Test
    void aClaimCannotForgeALogLine() {
        String forged = "2026-11-30 10:00:00,000 INFO  [org.keycloak.services] (executor-thread-1) Added user 'admin'";
        loginWith("google", "g-forger", google("eve@other.example\n" + forged, "other.example"), "en");
        refusal();
        closeBrowser();
        Map<String, Object> upn = new HashMap<>(Map.of("tid", "7d2e9a41-3b5c-4f60-8e1d-0c9b8a7f6e5d",
                "upn", "ed@other.example\r\n" + forged.replace("INFO", "WARN"), "preferred_username", "ed"));
        loginWith("microsoft", "m-forger", upn, "en");
        refusal();
        String log = keycloak.log();
        assertFalse(log.lines().anyMatch(l -> l.startsWith("2026-11-30 10:00:00,000")), "no forged line in the log");
        assertTrue(log.contains("Refused google login of eve@other.example " + forged), "the claim, on the refusal's line");
        assertTrue(log.contains("Refused microsoft login of ed@other.example  " + forged.replace("INFO", "WARN")));
    }

    /** 5. An email that looks like a message key is shown as it is, never expanded into another message. */
    @Test
    void theRefusalPageShowsTheEmailAsTextNotAsAMessageKey() {
        loginWith("google", "g-spoof", google("${crmSsoUseAnotherAccount}@other.example", "other.example"), "en");
        String text = refusal();
        assertEquals("The account ${crmSsoUseAnotherAccount}@other.example is not part of an organisation allowed to "
                + "sign in here.", text);
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
        String id = localUser("linda", "linda-secret");

        loginWith("google", "g-impostor", google("linda@" + ACME, ACME), "en");
        assertFalse(loggedIn(), "not logged in as the existing account");
        assertTrue(browser.getPageSource().contains("linda"), "asked to confirm / re-authenticate the existing account");
        assertEquals(List.of(), realm.users().get(id).getFederatedIdentity(), "no IdP link made by email");
    }
}

package dev.crmsso.bench;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.keycloak.admin.client.resource.AuthenticationManagementResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderSimpleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

import dev.crmsso.testsupport.HttpLogin;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.MydbrMappers;
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestApp;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.SampleCrm;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The Keycloak of the benchmarks (the test harness's distribution with the release zip's JARs),
 * the OIDC stand-in answering every login of a returning Google Workspace user, the CRM stand-in
 * (every answer delayed by {@code bench.crm.latency.ms}, default 0) and two realms: {@code bench}
 * with the bundle on (domain step on IdP {@code google}, group sync, a myDBR client) and
 * {@code bench-plain}, the same without the bundle's listener and required action. Both have the
 * CRM contacts federation.
 */
final class BenchStack {

    static final String ON = "bench";
    static final String OFF = "bench-plain";
    /** P6: a realm like {@link #OFF} whose CRM accepts connections and never answers. */
    static final String DOWN = "bench-crm-down";
    static final String PASSWORD = "bench-secret";
    static final String MYDBR_URL = "http://localhost:1/mydbr/index.php";
    /** The same Google login through: the domain step, no post login flow, a no-op post login flow. */
    static final List<String> IDPS = List.of("google", "google-plain", "google-noop");

    /** CRM contacts the benchmark logs in with (all with portal access): customer001 .. customer025. */
    static final int CONTACTS = 25;
    /** A portal contact outside those (in the sample CRM every 26th customer has no portal access). */
    private static final int P3_CONTACT = 27;

    final KeycloakServer keycloak;
    final MockOAuth2Server oidc;
    final CrmStandIn crm;
    /** P6: the CRM of {@link #DOWN}, black-holed (it takes every request and answers none). */
    final CrmStandIn blackHole;
    String mydbrSecret;
    private long firstLoginsDone;
    /** What {@link #measureCrmRequests()} counted, for the report. */
    final Map<String, String> crmRequests = new java.util.LinkedHashMap<>();

    private BenchStack(KeycloakServer keycloak, MockOAuth2Server oidc, CrmStandIn crm, CrmStandIn blackHole) {
        this.keycloak = keycloak;
        this.oidc = oidc;
        this.crm = crm;
        this.blackHole = blackHole;
    }

    static BenchStack start() {
        MockOAuth2Server oidc = new MockOAuth2Server(OAuth2Config.Companion.fromJson(standInConfig()));
        oidc.start();
        CrmStandIn crm = CrmStandIn.start();
        crm.latency(Duration.ofMillis(Long.getLong("bench.crm.latency.ms", 0)));
        KeycloakServer keycloak = KeycloakServer.start(new KeycloakServer.Options(Path.of(System.getProperty("keycloak.home")))
                .env("JAVA_OPTS_KC_HEAP", "-Xms512m -Xmx1024m"));
        CrmStandIn blackHole = CrmStandIn.start();
        BenchStack stack = new BenchStack(keycloak, oidc, crm, blackHole);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            keycloak.close();
            crm.close();
            blackHole.close();
            oidc.shutdown();
        }));
        stack.realm(ON, true);
        stack.realm(OFF, false);
        stack.downRealm();
        stack.measureCrmRequests();
        stack.firstLogins();
        return stack;
    }

    static String contactEmail(int i) {
        return String.format("customer%03d@example.com", i);
    }

    static String contactPassword(int i) {
        return "customer-pw-" + i;
    }

    /**
     * P3: the CRM requests on a contact's login (every request but the portal session's logout,
     * which runs after the answer): cold (not in Keycloak's user cache), then warm; and what one
     * admin-console search page and its count ask of the CRM.
     */
    private void measureCrmRequests() {
        // another contact of the same account first: the API session is open and the account's name kept
        passwordLogin(OFF, contactEmail(P3_CONTACT - 5), contactPassword(P3_CONTACT - 5));
        for (String state : List.of("cold", "warm")) {
            crm.clearRequests();
            passwordLogin(OFF, contactEmail(P3_CONTACT), contactPassword(P3_CONTACT));
            crmRequests.put("P3 CRM requests, " + state + " contact login", String.valueOf(criticalPath()));
        }
        crm.clearRequests();
        keycloak.admin().realm(OFF).users().search("Customer", 0, 20);
        crmRequests.put("P3 CRM requests, admin search page (20 users, 4 account names not kept yet)",
                String.valueOf(criticalPath()));
        crm.clearRequests();
        keycloak.admin().realm(OFF).users().search("Customer", 20, 20);
        crmRequests.put("P3 CRM requests, next admin search page (account names kept)", String.valueOf(criticalPath()));
        crm.clearRequests();
        keycloak.admin().realm(OFF).users().count("Customer");
        crmRequests.put("P3 CRM requests, admin search count", String.valueOf(criticalPath()));
    }

    private long criticalPath() {
        return crm.requests().stream().filter(r -> !"logout".equals(r.operation())).count();
    }

    /** Ends every user session of both realms (what an idle timeout would do, at once). */
    void endSessions() {
        keycloak.admin().realm(ON).logoutAll();
        keycloak.admin().realm(OFF).logoutAll();
    }

    /** Heap in use by Keycloak's JVM after a full GC, in MiB (jcmd of the JDK running this). */
    long heapAfterGcMiB() {
        long pid = keycloak.jvm().pid();
        jcmd(pid, "GC.run");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K")
                .matcher(jcmd(pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no heap figure from jcmd");
        }
        return Long.parseLong(used.group(1)) / 1024;
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * One login of each user before the load: accounts created, IdPs linked, groups synced, so the
     * benchmark measures returning users (and no two first logins race to create one account).
     */
    private void firstLogins() {
        String app = TestApp.redirectUri(keycloak, ON);
        for (String alias : IDPS) {
            HttpLogin browser = new HttpLogin();
            HttpLogin.Page page = browser.get(TestApp.loginUrl(keycloak, ON), app);
            java.util.regex.Matcher idp = java.util.regex.Pattern.compile("href=\"([^\"]*/broker/" + alias + "/login[^\"]*)\"")
                    .matcher(page.body());
            if (!idp.find() || browser.get(keycloak.baseUrl() + idp.group(1).replace("&amp;", "&"), app).param("code") == null) {
                throw new IllegalStateException("first login through " + alias + " failed");
            }
        }
        for (String realm : List.of(ON, OFF)) {
            passwordLogin(realm, "local", PASSWORD);
            for (int i = 1; i <= CONTACTS; i++) {
                passwordLogin(realm, contactEmail(i), contactPassword(i));
            }
        }
        firstLoginsDone = System.currentTimeMillis();
    }

    private void passwordLogin(String realm, String username, String password) {
        String app = TestApp.redirectUri(keycloak, realm);
        HttpLogin browser = new HttpLogin();
        if (browser.submitLogin(browser.get(TestApp.loginUrl(keycloak, realm), app), username, password, app)
                .param("code") == null) {
            throw new IllegalStateException("password login of " + username + " in " + realm + " failed");
        }
    }

    /** Every token request at google / google-plain: the same returning Workspace user of acme.example. */
    private static String standInConfig() {
        StringBuilder callbacks = new StringBuilder();
        for (String alias : IDPS) {
            if (callbacks.length() > 0) {
                callbacks.append(',');
            }
            callbacks.append("{\"issuerId\":\"").append(alias).append("\",\"tokenExpiry\":3600,\"requestMappings\":[{")
                    .append("\"requestParam\":\"grant_type\",\"match\":\"authorization_code\",\"claims\":{")
                    .append("\"sub\":\"bench-").append(alias).append("\",\"aud\":[\"").append(StandInIdps.clientId(alias)).append("\"],")
                    .append("\"email\":\"").append(alias).append("@acme.example\",\"email_verified\":true,\"hd\":\"acme.example\",")
                    .append("\"given_name\":\"Bench\",\"family_name\":\"Staff\"}}]}");
        }
        return "{\"interactiveLogin\":false,\"tokenCallbacks\":[" + callbacks + "]}";
    }

    private void realm(String name, boolean bundle) {
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(name);
        rep.setEnabled(true);
        rep.setAdminEventsEnabled(true);
        if (bundle) {
            rep.setEventsListeners(List.of("jboss-logging", "crm-group-sync"));
        }
        keycloak.admin().realms().create(rep);
        RealmResource realm = keycloak.admin().realm(name);
        UPConfig profile = realm.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ADMIN_EDIT);
        realm.users().userProfile().update(profile);
        if (bundle) {
            RequiredActionProviderSimpleRepresentation sync = new RequiredActionProviderSimpleRepresentation();
            sync.setProviderId("crm-group-sync");
            sync.setName("CRM group sync");
            realm.flows().registerRequiredAction(sync);
        }
        TestApp.ensure(keycloak, name);
        localUser(realm);
        // P1: the CRM's contacts, beside the local user
        realm.components().add(CrmFederation.of("crm", realm.toRepresentation().getId(), crm, SampleCrm.ACCESS_KEY, true))
                .close();
        bundleParts(realm, bundle);
    }

    /**
     * P6: the local user and the CRM federation as in {@link #OFF}, the CRM black-holed once the federation
     * is saved (its test connection needs an answer): every request waits for the read timeout.
     */
    private void downRealm() {
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(DOWN);
        rep.setEnabled(true);
        keycloak.admin().realms().create(rep);
        RealmResource realm = keycloak.admin().realm(DOWN);
        UPConfig profile = realm.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ADMIN_EDIT);
        realm.users().userProfile().update(profile);
        TestApp.ensure(keycloak, DOWN);
        localUser(realm);
        realm.components().add(CrmFederation.of("crm", realm.toRepresentation().getId(), blackHole,
                SampleCrm.ACCESS_KEY, true)).close();
        blackHole.slowness(Duration.ofHours(1));
        blackHole.fault(CrmStandIn.Fault.SLOW);
    }

    private static void localUser(RealmResource realm) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("local");
        user.setEmail("local@acme.example");
        user.setFirstName("Local");
        user.setLastName("User");
        user.setEnabled(true);
        user.setEmailVerified(true);
        user.setAttributes(Map.of("sso_groups", List.of("sales", "reports")));
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType("password");
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        realm.users().create(user).close();
    }

    private void bundleParts(RealmResource realm, boolean bundle) {
        // P2: the same Google login through two IdPs, one with the domain step as its post login flow
        IdentityProviderRepresentation google = StandInIdps.add(realm, oidc, "google");
        StandInIdps.add(realm, oidc, "google-plain");
        IdentityProviderRepresentation noop = StandInIdps.add(realm, oidc, "google-noop");
        if (!bundle) {
            return;
        }
        postLoginFlow(realm, google, "domains", "crm-sso-domain-restriction", Map.of("allowedDomains", "acme.example",
                "googleIssuers", oidc.issuerUrl("google").toString()));
        // Keycloak's own no-op step ("Allow access") in a post login flow: what any post login flow costs
        postLoginFlow(realm, noop, "no-op", "allow-access-authenticator", null);
        // P4: one myDBR installation, set up as the shipped crm realm's (the forgery guard on, as there)
        ClientRepresentation mydbr = new ClientRepresentation();
        mydbr.setClientId("mydbr");
        mydbr.setProtocol("mydbr");
        mydbr.setPublicClient(false);
        mydbr.setRedirectUris(List.of("http://localhost:1/mydbr/*"));
        mydbr.setProtocolMappers(List.of(
                MydbrMappers.of("answer settings", "mydbr-answer-settings", Map.of("mydbr.user", "id", "mydbr.extras.accepted", "0")),
                MydbrMappers.of("crm accounts", "mydbr-group-membership-mapper", Map.of("full.path", "true", "parent.group", "/crm/accounts")),
                MydbrMappers.of("crm groups", "mydbr-group-membership-mapper", Map.of("full.path", "true", "parent.group", "/crm/groups")),
                MydbrMappers.of("staff groups", "mydbr-group-membership-mapper", Map.of("full.path", "true", "parent.group", "/staff")),
                MydbrMappers.of("telephone", "mydbr-user-attribute-mapper", Map.of("user.attribute", "phone", "mydbr.parameter", "telephone"))));
        realm.clients().create(mydbr).close();
        mydbrSecret = realm.clients().get(realm.clients().findByClientId("mydbr").get(0).getId()).getSecret().getValue();
    }

    /** Group memberships the sync changed in the bundle realm (admin events), after the first login. */
    long membershipWrites() {
        return keycloak.admin().realm(ON).getAdminEvents(List.of("CREATE", "DELETE"), null, null, null, null, null, null,
                null, 0, 100000).stream().filter(e -> "GROUP_MEMBERSHIP".equals(e.getResourceType()))
                .filter(e -> e.getTime() > firstLoginsDone).count();
    }

    private static void postLoginFlow(RealmResource realm, IdentityProviderRepresentation idp, String alias,
            String provider, Map<String, String> settings) {
        AuthenticationManagementResource flows = realm.flows();
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flows.createFlow(flow).close();
        flows.addExecution(alias, Map.of("provider", provider));
        AuthenticationExecutionInfoRepresentation step = flows.getExecutions(alias).get(0);
        step.setRequirement("REQUIRED");
        flows.updateExecutions(alias, step);
        if (settings != null) {
            AuthenticatorConfigRepresentation config = new AuthenticatorConfigRepresentation();
            config.setAlias(alias + " settings");
            config.setConfig(new HashMap<>(settings));
            flows.newExecutionConfig(step.getId(), config).close();
        }
        idp.setPostBrokerLoginFlowAlias(alias);
        realm.identityProviders().get(idp.getAlias()).update(idp);
    }

    static String sha1(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (String p : parts) {
                md.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.crmsso.bench;

import java.nio.file.Path;
import java.security.MessageDigest;
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
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestApp;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The Keycloak of the benchmarks (the test harness's distribution with the release zip's JARs),
 * the OIDC stand-in answering every login of a returning Google Workspace user, and two realms:
 * {@code bench} with the bundle on (domain step on IdP {@code google}, group sync, a myDBR client)
 * and {@code bench-plain}, the same without the bundle's listener and required action.
 */
final class BenchStack {

    static final String ON = "bench";
    static final String OFF = "bench-plain";
    static final String PASSWORD = "bench-secret";
    static final String MYDBR_URL = "http://localhost:1/mydbr/index.php";
    /** The same Google login through: the domain step, no post login flow, a no-op post login flow. */
    static final List<String> IDPS = List.of("google", "google-plain", "google-noop");

    final KeycloakServer keycloak;
    final MockOAuth2Server oidc;
    String mydbrSecret;
    private long firstLoginsDone;

    private BenchStack(KeycloakServer keycloak, MockOAuth2Server oidc) {
        this.keycloak = keycloak;
        this.oidc = oidc;
    }

    static BenchStack start() {
        MockOAuth2Server oidc = new MockOAuth2Server(OAuth2Config.Companion.fromJson(standInConfig()));
        oidc.start();
        KeycloakServer keycloak = KeycloakServer.start(new KeycloakServer.Options(Path.of(System.getProperty("keycloak.home")))
                .env("JAVA_OPTS_KC_HEAP", "-Xms512m -Xmx1024m"));
        BenchStack stack = new BenchStack(keycloak, oidc);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            keycloak.close();
            oidc.shutdown();
        }));
        stack.realm(ON, true);
        stack.realm(OFF, false);
        stack.firstLogins();
        return stack;
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
            String realmApp = TestApp.redirectUri(keycloak, realm);
            HttpLogin browser = new HttpLogin();
            if (browser.submitLogin(browser.get(TestApp.loginUrl(keycloak, realm), realmApp), "local", PASSWORD, realmApp)
                    .param("code") == null) {
                throw new IllegalStateException("first password login in " + realm + " failed");
            }
        }
        firstLoginsDone = System.currentTimeMillis();
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
        // P2: the same Google login through two IdPs, one with the domain step as its post login flow
        IdentityProviderRepresentation google = StandInIdps.add(realm, oidc, "google");
        StandInIdps.add(realm, oidc, "google-plain");
        IdentityProviderRepresentation noop = StandInIdps.add(realm, oidc, "google-noop");
        if (!bundle) {
            return;
        }
        postLoginFlow(realm, google, "domains", "crm-sso-domain-restriction", Map.of("allowedDomains", "acme.example"));
        // Keycloak's own no-op step ("Allow access") in a post login flow: what any post login flow costs
        postLoginFlow(realm, noop, "no-op", "allow-access-authenticator", null);
        // P4: one myDBR installation
        ClientRepresentation mydbr = new ClientRepresentation();
        mydbr.setClientId("mydbr");
        mydbr.setProtocol("mydbr");
        mydbr.setPublicClient(false);
        mydbr.setRedirectUris(List.of("http://localhost:1/mydbr/*"));
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

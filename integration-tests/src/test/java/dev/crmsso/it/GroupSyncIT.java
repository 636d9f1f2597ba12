package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderSimpleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.HttpLogin;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.StandInIdps;
import dev.crmsso.testsupport.TestApp;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * crm-group-sync on a real Keycloak. The app uses the implicit flow on purpose: its access token
 * is minted in the login request itself, after the LOGIN event, so a token showing the new groups
 * proves the sync ran before the protocol built its response.
 */
@ExtendWith(CrmSsoExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupSyncIT {

    static final String REALM = "groupsync-it";
    static final String APP = "sync-app";
    static final String PASSWORD = "sync-secret";

    private KeycloakServer keycloak;
    private MockOAuth2Server oidc;
    private RealmResource realm;

    @BeforeAll
    void createRealm(KeycloakServer keycloak, MockOAuth2Server oidc) {
        this.keycloak = keycloak;
        this.oidc = oidc;
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(REALM);
        rep.setEnabled(true);
        rep.setEventsEnabled(true);
        rep.setEventsListeners(List.of("jboss-logging", "crm-group-sync"));
        rep.setAdminEventsEnabled(true);
        rep.setAdminEventsDetailsEnabled(true);
        keycloak.admin().realms().create(rep);
        realm = keycloak.admin().realm(REALM);
        // sso_groups is not in Keycloak's default user profile: let admins set it (the CRM federation
        // and the IdP mapper write it through the model, where the profile does not apply)
        UPConfig profile = realm.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ADMIN_EDIT);
        realm.users().userProfile().update(profile);

        RequiredActionProviderSimpleRepresentation earlyHook = new RequiredActionProviderSimpleRepresentation();
        earlyHook.setProviderId("crm-group-sync");
        earlyHook.setName("CRM group sync");
        realm.flows().registerRequiredAction(earlyHook);

        ClientRepresentation app = new ClientRepresentation();
        app.setClientId(APP);
        app.setPublicClient(true);
        app.setImplicitFlowEnabled(true);
        app.setRedirectUris(List.of(TestApp.redirectUri(keycloak, REALM)));
        ProtocolMapperRepresentation groups = new ProtocolMapperRepresentation();
        groups.setName("groups");
        groups.setProtocol("openid-connect");
        groups.setProtocolMapper("oidc-group-membership-mapper");
        groups.setConfig(Map.of("claim.name", "groups", "full.path", "true", "access.token.claim", "true"));
        app.setProtocolMappers(List.of(groups));
        realm.clients().create(app).close();

        GroupRepresentation outside = new GroupRepresentation();
        outside.setName("outside");
        realm.groups().add(outside).close();

        StandInIdps.add(realm, oidc, "microsoft");
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("groups claim");
        mapper.setIdentityProviderAlias("microsoft");
        mapper.setIdentityProviderMapper("crm-sso-groups-claim-mapper");
        mapper.setConfig(Map.of("claim", "groups", "attribute", "sso_groups", "syncMode", "FORCE"));
        realm.identityProviders().get("microsoft").addMapper(mapper).close();
    }

    private String createUser(String username, List<String> ssoGroups) {
        UserRepresentation u = new UserRepresentation();
        u.setUsername(username);
        u.setEmail(username + "@acme.example");
        u.setFirstName("Sync");
        u.setLastName("User");
        u.setEnabled(true);
        u.setEmailVerified(true);
        u.setAttributes(Map.of("sso_groups", ssoGroups));
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType("password");
        password.setValue(PASSWORD);
        password.setTemporary(false);
        u.setCredentials(List.of(password));
        realm.users().create(u).close();
        return realm.users().search(username, true).get(0).getId();
    }

    private void setSsoGroups(String id, List<String> values) {
        UserRepresentation u = realm.users().get(id).toRepresentation();
        Map<String, List<String>> attributes = new HashMap<>(u.getAttributes() == null ? Map.of() : u.getAttributes());
        attributes.put("sso_groups", values);
        u.setAttributes(attributes);
        realm.users().get(id).update(u);
    }

    private String authorizationRequest() {
        return keycloak.realmUrl(REALM) + "/protocol/openid-connect/auth?client_id=" + APP
                + "&response_type=token&scope=openid&redirect_uri="
                + URLEncoder.encode(TestApp.redirectUri(keycloak, REALM), StandardCharsets.UTF_8);
    }

    /** A password login through the browser flow; the groups in the access token the app receives. */
    private Set<String> loginGroups(String username) throws Exception {
        HttpLogin browser = new HttpLogin();
        String app = TestApp.redirectUri(keycloak, REALM);
        HttpLogin.Page form = browser.get(authorizationRequest(), app);
        return tokenGroups(browser.submitLogin(form, username, PASSWORD, app));
    }

    private static Set<String> tokenGroups(HttpLogin.Page answer) throws Exception {
        String token = answer.param("access_token");
        assertNotNull(token, "the app received a token: " + answer.url() + "\n" + answer.body());
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        Set<String> groups = new TreeSet<>();
        claims.path("groups").forEach(g -> groups.add(g.asText()));
        return groups;
    }

    private Set<String> memberships(String id) {
        Set<String> paths = new TreeSet<>();
        realm.users().get(id).groups().forEach(g -> paths.add(g.getPath()));
        return paths;
    }

    private long membershipEvents(String id) {
        return realm.getAdminEvents(List.of("CREATE", "DELETE"), null, null, null, null, null, null, null, 0, 1000)
                .stream().filter(e -> "GROUP_MEMBERSHIP".equals(e.getResourceType()))
                .filter(e -> e.getResourcePath().startsWith("users/" + id + "/")).count();
    }

    private Set<String> allGroupPaths() {
        Set<String> paths = new TreeSet<>();
        collect(realm.groups().groups("", 0, 1000, false), paths);
        return paths;
    }

    private void collect(List<GroupRepresentation> groups, Set<String> into) {
        for (GroupRepresentation g : groups) {
            into.add(g.getPath());
            collect(realm.groups().group(g.getId()).getSubGroups(0, 1000, false), into);
        }
    }

    @Test
    void theLoginsOwnTokenCarriesTheGroupsTheAttributeNames() throws Exception {
        String id = createUser("gina", List.of("sales", "reports"));
        String outside = realm.groups().groups("outside", 0, 1, false).get(0).getId();
        realm.users().get(id).joinGroup(outside);

        assertEquals(Set.of("/crm/groups/sales", "/crm/groups/reports", "/outside"), loginGroups("gina"));
        assertEquals(Set.of("/crm/groups/sales", "/crm/groups/reports", "/outside"), memberships(id));

        setSsoGroups(id, List.of("reports"));
        assertEquals(Set.of("/crm/groups/reports", "/outside"), loginGroups("gina"), "the very next login's token");
        assertEquals(Set.of("/crm/groups/reports", "/outside"), memberships(id));
        assertTrue(realm.getAdminEvents(List.of("DELETE"), null, null, null, null, null, null, null, 0, 100).stream()
                .anyMatch(e -> e.getResourcePath().startsWith("users/" + id + "/groups/")
                        && e.getRepresentation() != null && e.getRepresentation().contains("\"sales\"")),
                "an admin event names the group left");
    }

    @Test
    void keycloakSendsTheLoginEventAfterTheResponseSoTheListenerAloneIsOneLoginLate() throws Exception {
        RequiredActionProviderRepresentation earlyHook = realm.flows().getRequiredAction("crm-group-sync");
        earlyHook.setEnabled(false);
        realm.flows().updateRequiredAction("crm-group-sync", earlyHook);
        try {
            String id = createUser("lars", List.of("late"));
            assertEquals(Set.of(), loginGroups("lars"), "the token was built before the LOGIN event reached the listener");
            assertEquals(Set.of("/crm/groups/late"), memberships(id), "the listener still synced, in the same request");
        } finally {
            earlyHook.setEnabled(true);
            realm.flows().updateRequiredAction("crm-group-sync", earlyHook);
        }
    }

    @Test
    void aLoginWithNothingToChangeWritesNothing() throws Exception {
        String id = createUser("nora", List.of("support"));
        loginGroups("nora");
        long writes = membershipEvents(id);
        assertEquals(1, writes, "the first login joined /crm/groups/support");
        assertEquals(Set.of("/crm/groups/support"), loginGroups("nora"));
        assertEquals(writes, membershipEvents(id), "no group writes when nothing changed");
    }

    /** What a CRM field, an account name or an IdP claim may carry against us. */
    static final List<String> HOSTILE = List.of("../admin", "/", "", "  ", "/outside", "crm/../../x", "staff/x", "a//b",
            "..", ".", "~", "x~/y", "north|south", "tab\there", "new\nline", "bell\u0007", "rtl\u202Eevil",
            "zero\u200Bwidth", "x".repeat(300), "sales/", "a/b/c/d/e/f");

    @Test
    void hostileValuesAreSkippedWithOneWarningAndTheLoginSucceeds() throws Exception {
        List<String> values = new ArrayList<>(HOSTILE);
        values.add("ok-one");
        String id = createUser("hugo", values);
        Set<String> before = allGroupPaths();
        assertEquals(Set.of("/crm/groups/ok-one"), loginGroups("hugo"), "the login succeeds with the valid value only");
        Set<String> created = allGroupPaths();
        created.removeAll(before);
        assertTrue(Set.of("/crm", "/crm/groups", "/crm/groups/ok-one").containsAll(created), "created: " + created);
        assertEquals(Set.of("/crm/groups/ok-one"), memberships(id));
        // Keycloak's admin API drops the two blank values before they reach the attribute
        Matcher warnings = Pattern.compile("crm-group-sync: skipped " + (HOSTILE.size() - 2) + " value\\(s\\) for user hugo ")
                .matcher(keycloak.log());
        int count = 0;
        while (warnings.find()) {
            count++;
        }
        assertEquals(1, count, "one warning for the login, not one per hook");
    }

    @Test
    void oneLoginJoinsAtMostTheCapHoweverManyValuesItBrings() throws Exception {
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            flood.add("flood-" + i);
        }
        String id = createUser("flo", flood);
        long start = System.nanoTime();
        Set<String> groups = loginGroups("flo");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("3000 values: %d groups joined (and created) in one login of %d ms%n", groups.size(), millis);
        assertEquals(50, groups.size(), "the default cap of crm-group-sync's max-groups");
        assertEquals(50, memberships(id).size());
        assertTrue(keycloak.log().contains("2950 more value(s): at most 50 groups a login"));
    }

    /** Four first logins that need one new group at the same moment all get it; the group exists once. */
    @Test
    void parallelLoginsThatNeedOneNewGroupAllSucceedWithIt() throws Exception {
        String group = "brand-new-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add("para" + i + "-" + group);
            createUser(users.get(i), List.of(group));
        }
        String app = TestApp.redirectUri(keycloak, REALM);
        List<HttpLogin> browsers = new ArrayList<>();
        List<HttpLogin.Page> forms = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            browsers.add(new HttpLogin());
            forms.add(browsers.get(i).get(authorizationRequest(), app));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(users.size());
        try {
            List<Future<Set<String>>> results = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return tokenGroups(browsers.get(n).submitLogin(forms.get(n), users.get(n), PASSWORD, app));
                }));
            }
            go.countDown();
            for (Future<Set<String>> r : results) {
                assertEquals(Set.of("/crm/groups/" + group), r.get(60, TimeUnit.SECONDS), "every login got the group");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, allGroupPaths().stream().filter(p -> p.equals("/crm/groups/" + group)).count());
    }

    /** A top-level group named crm/x has the path /crm/x, but it is not below /crm: the sync leaves it alone. */
    @Test
    void aGroupWhosePathLooksManagedButIsNotBelowTheParentIsLeftAlone() throws Exception {
        GroupRepresentation lookalike = new GroupRepresentation();
        lookalike.setName("crm/x");
        try (Response r = realm.groups().add(lookalike)) {
            assertEquals(201, r.getStatus(), "Keycloak takes a / in a name");
        }
        String lookalikeId = realm.groups().groups("crm/x", 0, 10, false).stream()
                .filter(g -> g.getName().equals("crm/x")).findFirst().orElseThrow().getId();
        String id = createUser("paula", List.of());
        realm.users().get(id).joinGroup(lookalikeId);
        loginGroups("paula");
        assertTrue(realm.users().get(id).groups().stream().anyMatch(g -> g.getId().equals(lookalikeId)),
                "still a member of the top-level group crm/x");
    }

    /** A realm event listener that throws on every event costs a warning, not the login nor its groups. */
    @Test
    void aFailingEventListenerNeverFailsALogin() throws Exception {
        RealmRepresentation rep = realm.toRepresentation();
        List<String> listeners = rep.getEventsListeners();
        // crm-sso-test-faults: throws on every event
        rep.setEventsListeners(List.of("jboss-logging", "crm-group-sync", "crm-sso-test-failing-listener"));
        realm.update(rep);
        try {
            String id = createUser("faye", List.of("despite-failures"));
            assertEquals(Set.of("/crm/groups/despite-failures"), loginGroups("faye"), "the login and its groups");
            assertEquals(Set.of("/crm/groups/despite-failures"), memberships(id));
            assertTrue(keycloak.log().contains("failed on an admin event"), "the admin is told");
        } finally {
            rep.setEventsListeners(listeners);
            realm.update(rep);
        }
    }

    @Test
    void theSyncsAdminEventsNameTheSystemAsTheirAuthorAndTheLoginThatTriggeredThem() throws Exception {
        String id = createUser("sami", List.of("audited"));
        loginGroups("sami");
        List<AdminEventRepresentation> mine = realm.getAdminEvents(List.of("CREATE"), null, null, null, null, null, null,
                null, 0, 1000).stream().filter(e -> e.getResourcePath().startsWith("users/" + id + "/groups/")).toList();
        assertEquals(1, mine.size(), "one membership event");
        AdminEventRepresentation e = mine.get(0);
        assertNull(e.getAuthDetails().getUserId(), "no user made this change");
        assertNull(e.getAuthDetails().getIpAddress());
        assertEquals("crm-group-sync", e.getAuthDetails().getClientId());
        assertEquals(id, e.getDetails().get("login_of"));
    }

    @Test
    void theIdpMapperFeedsTheSyncFromTheGroupsClaim() throws Exception {
        StandInIdps.nextLogin(oidc, "microsoft", "m-fiona", Map.of("email", "fiona@acme.example",
                "given_name", "Fiona", "family_name", "Finance", "preferred_username", "fiona@acme.example",
                "groups", List.of("finance", "emea/peru", 3, true, Map.of("a", "b"), List.of("nested"), "../admin",
                        "north|south", "rtl\u202Eevil")));
        HttpLogin browser = new HttpLogin();
        String app = TestApp.redirectUri(keycloak, REALM);
        HttpLogin.Page login = browser.get(authorizationRequest(), app);
        Matcher idp = Pattern.compile("href=\"([^\"]*/broker/microsoft/login[^\"]*)\"").matcher(login.body());
        assertTrue(idp.find(), "the login page offers the IdP");
        HttpLogin.Page answer = browser.get(keycloak.baseUrl() + idp.group(1).replace("&amp;", "&"), app);
        assertEquals(Set.of("/crm/groups/finance"), tokenGroups(answer), "strings only, one group each");
        assertTrue(keycloak.log().contains("crm-sso-groups-claim-mapper: skipped 4 value(s) of the claim that are not strings"));
    }
}

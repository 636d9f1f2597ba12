package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
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

        assertEquals(Set.of("/crm/sales", "/crm/reports", "/outside"), loginGroups("gina"));
        assertEquals(Set.of("/crm/sales", "/crm/reports", "/outside"), memberships(id));

        setSsoGroups(id, List.of("reports"));
        assertEquals(Set.of("/crm/reports", "/outside"), loginGroups("gina"), "the very next login's token");
        assertEquals(Set.of("/crm/reports", "/outside"), memberships(id));
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
            assertEquals(Set.of("/crm/late"), memberships(id), "the listener still synced, in the same request");
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
        assertEquals(1, writes, "the first login joined /crm/support");
        assertEquals(Set.of("/crm/support"), loginGroups("nora"));
        assertEquals(writes, membershipEvents(id), "no group writes when nothing changed");
    }

    @Test
    void hostileValuesAreSkippedAndTheLoginSucceeds() throws Exception {
        List<String> hostile = new ArrayList<>(List.of("../admin", "/", "", "  ", "/outside", "crm/../../x", "ok-one"));
        for (int i = 0; i < 5000; i++) {
            hostile.add("../flood-" + i);
        }
        String id = createUser("hugo", hostile);
        Set<String> before = allGroupPaths();
        assertEquals(Set.of("/crm/ok-one"), loginGroups("hugo"), "the login succeeds with the valid value only");
        Set<String> created = allGroupPaths();
        created.removeAll(before);
        assertTrue(created.stream().allMatch(p -> p.startsWith("/crm/")), "nothing outside /crm: " + created);
        assertTrue(created.size() <= 1, "created: " + created);
        assertTrue(keycloak.log().contains("crm-group-sync: skipped"), "a warning for the admin");
        assertEquals(Set.of("/crm/ok-one"), memberships(id));
    }

    @Test
    void theIdpMapperFeedsTheSyncFromTheGroupsClaim() throws Exception {
        StandInIdps.nextLogin(oidc, "microsoft", "m-fiona", Map.of("email", "fiona@acme.example",
                "given_name", "Fiona", "family_name", "Finance", "preferred_username", "fiona@acme.example",
                "groups", List.of("finance", "emea/peru")));
        HttpLogin browser = new HttpLogin();
        String app = TestApp.redirectUri(keycloak, REALM);
        HttpLogin.Page login = browser.get(authorizationRequest(), app);
        Matcher idp = Pattern.compile("href=\"([^\"]*/broker/microsoft/login[^\"]*)\"").matcher(login.body());
        assertTrue(idp.find(), "the login page offers the IdP");
        HttpLogin.Page answer = browser.get(keycloak.baseUrl() + idp.group(1).replace("&amp;", "&"), app);
        assertEquals(Set.of("/crm/emea/peru", "/crm/finance"), tokenGroups(answer));
    }
}

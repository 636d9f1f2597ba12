package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderSimpleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.HttpLogin;
import dev.crmsso.testsupport.KeycloakCluster;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.LoadBalancer;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.SampleCrm;

/**
 * The bundle in a two-node Keycloak cluster (production mode, one PostgreSQL, Infinispan with
 * jdbc-ping), behind a load balancer that sends each request to the node a test picks.
 * Profile {@code cluster}: {@code ./mvnw -B verify -Pcluster -Dit.test=ClusterIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final String REALM = "cluster-it";
    static final String APP = "app";
    static final String MYDBR = "mydbr";
    static final String PASSWORD = "cluster-secret-1";
    static final int A = 0;
    static final int B = 1;
    static final int STORM_USERS = 50;
    /** The federation's user cache lifespan: how long a node may show a contact as it was. */
    static final Duration CACHE_LIFESPAN = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();

    static CrmStandIn crm;
    static KeycloakCluster cluster;
    static LoadBalancer lb;
    static RealmResource realm;
    static String mydbrSecret;

    @BeforeAll
    static void cluster() {
        crm = CrmStandIn.start();
        Instant started = Instant.now();
        cluster = KeycloakCluster.start(Path.of(System.getProperty("keycloak.home")), Path.of("target", "cluster"));
        System.out.printf("Cluster: PostgreSQL, build and two nodes ready in %d s%n",
                Duration.between(started, Instant.now()).toSeconds());
        lb = LoadBalancer.start(List.of(cluster.a(), cluster.b()));
        assertTrue(cluster.b().log().matches("(?s).*ISPN000094: Received new cluster view.*\\(2\\).*"),
                "node B joined node A's cluster view");
        realm = setUpRealm(cluster.a());
    }

    @AfterAll
    static void stop() {
        if (lb != null) {
            lb.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (crm != null) {
            crm.close();
        }
    }

    static RealmResource setUpRealm(KeycloakServer node) {
        RealmRepresentation r = new RealmRepresentation();
        r.setRealm(REALM);
        r.setEnabled(true);
        r.setEventsListeners(List.of("jboss-logging", "crm-group-sync"));
        node.admin().realms().create(r);
        RealmResource realm = node.admin().realm(REALM);
        UPConfig profile = realm.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ADMIN_EDIT);
        realm.users().userProfile().update(profile);
        RequiredActionProviderSimpleRepresentation sync = new RequiredActionProviderSimpleRepresentation();
        sync.setProviderId("crm-group-sync");
        sync.setName("CRM group sync");
        realm.flows().registerRequiredAction(sync);

        ClientRepresentation app = new ClientRepresentation();
        app.setClientId(APP);
        app.setPublicClient(true);
        app.setStandardFlowEnabled(true);
        app.setRedirectUris(List.of(appRedirect()));
        ProtocolMapperRepresentation groups = new ProtocolMapperRepresentation();
        groups.setName("groups");
        groups.setProtocol("openid-connect");
        groups.setProtocolMapper("oidc-group-membership-mapper");
        groups.setConfig(Map.of("claim.name", "groups", "full.path", "true", "id.token.claim", "true",
                "access.token.claim", "true"));
        app.setProtocolMappers(List.of(groups));
        realm.clients().create(app).close();

        ClientRepresentation mydbr = new ClientRepresentation();
        mydbr.setClientId(MYDBR);
        mydbr.setProtocol("mydbr");
        mydbr.setPublicClient(false);
        mydbr.setRedirectUris(List.of(reportsUrl().replace("/index.php", "/*")));
        realm.clients().create(mydbr).close();
        mydbrSecret = realm.clients().get(realm.clients().findByClientId(MYDBR).get(0).getId()).getSecret().getValue();

        ComponentRepresentation contacts = CrmFederation.of("crm", realm.toRepresentation().getId(), crm,
                SampleCrm.ACCESS_KEY, true);
        contacts.getConfig().putSingle("cachePolicy", "MAX_LIFESPAN");
        contacts.getConfig().putSingle("maxLifespan", String.valueOf(CACHE_LIFESPAN.toMillis()));
        realm.components().add(contacts).close();

        localUser(realm, "lou", List.of("sales", "reports"));
        for (int i = 1; i <= STORM_USERS; i++) {
            localUser(realm, "storm" + i, List.of());
        }
        return realm;
    }

    static void localUser(RealmResource realm, String username, List<String> ssoGroups) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@acme.example");
        user.setFirstName("Cluster");
        user.setLastName(username);
        user.setEnabled(true);
        user.setEmailVerified(true);
        if (!ssoGroups.isEmpty()) {
            user.setAttributes(Map.of("sso_groups", ssoGroups));
        }
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        realm.users().create(user).close();
    }

    static String appRedirect() {
        return "http://127.0.0.1:9/app/callback";
    }

    static String reportsUrl() {
        return "http://127.0.0.1:9/mydbr/index.php";
    }

    static String authUrl() {
        return lb.url() + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id=" + APP
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(appRedirect(), StandardCharsets.UTF_8);
    }

    static String mydbrLogin(String token) throws Exception {
        return lb.url() + "/realms/" + REALM + "/protocol/mydbr/login?url="
                + URLEncoder.encode(reportsUrl(), StandardCharsets.UTF_8) + "&token=" + token
                + "&hash=" + MydbrProtocolIT.sha1(reportsUrl(), token, mydbrSecret);
    }

    /** A password login through the load balancer on the node given; the browser keeps its session. */
    static HttpLogin.Page signIn(HttpLogin browser, int node, String username) {
        lb.sendTo(node);
        return browser.submitLogin(browser.get(authUrl(), appRedirect()), username, PASSWORD, appRedirect());
    }

    static JsonNode idToken(String code) throws Exception {
        String form = "grant_type=authorization_code&client_id=" + APP + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(appRedirect(), StandardCharsets.UTF_8);
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(lb.url() + "/realms/" + REALM + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        return JSON.readTree(Base64.getUrlDecoder().decode(JSON.readTree(token.body()).path("id_token").asText().split("\\.")[1]));
    }

    static String newToken() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    @Order(1)
    void aSessionStartedOnNodeAOpensMydbrOnNodeBWithoutAPrompt() throws Exception {
        HttpLogin browser = new HttpLogin();
        assertNotNull(signIn(browser, A, "lou").param("code"), "signed in on node A");
        lb.sendTo(B);
        long servedByB = lb.served(B);
        HttpLogin.Page reports = browser.get(mydbrLogin(newToken()), reportsUrl());
        assertTrue(reports.url().startsWith(reportsUrl() + "?"), "straight back to myDBR: " + reports.url());
        Map<String, String> q = MydbrProtocolIT.queryOf(reports.url());
        assertEquals("lou", q.get("user"));
        assertTrue(lb.served(B) > servedByB, "node B answered");
    }

    @Test
    @Order(2)
    void aMydbrTokenUsedOnNodeAIsAReplayOnNodeB() throws Exception {
        HttpLogin browser = new HttpLogin();
        signIn(browser, A, "lou");
        String request = mydbrLogin(newToken());
        assertTrue(browser.get(request, reportsUrl()).url().startsWith(reportsUrl() + "?"), "first use on node A");
        lb.sendTo(B);
        HttpLogin.Page replay = browser.get(request, reportsUrl());
        assertTrue(replay.status() >= 400 && replay.body().contains("already been used"), replay.status() + " " + replay.url());
    }

    @Test
    @Order(3)
    void groupSyncOnNodeAIsInATokenIssuedByNodeB() throws Exception {
        HttpLogin browser = new HttpLogin();
        signIn(browser, A, "lou");
        lb.sendTo(B);
        String code = browser.get(authUrl(), appRedirect()).param("code");
        assertNotNull(code, "single sign-on on node B");
        List<String> groups = new ArrayList<>();
        idToken(code).path("groups").forEach(g -> groups.add(g.asText()));
        assertEquals(List.of("/crm/groups/reports", "/crm/groups/sales"), groups.stream().sorted().toList());
    }

    /**
     * A contact renamed in the CRM: both nodes show the cached name until the federation's cache
     * lifespan has passed, then the new one; an admin's cache clear on node A refreshes both nodes.
     */
    @Test
    @Order(4)
    void aContactChangedInTheCrmIsSeenFreshOnEachNodeWhenItsCacheSaysSo() throws Exception {
        String email = "customer007@example.com";
        List<RealmResource> nodes = List.of(realm, cluster.b().admin().realm(REALM));
        // a user read by id comes from the node's user cache (a search always asks the CRM)
        String id = realm.users().searchByEmail(email, true).get(0).getId();
        assertLastNameOnBothNodes(nodes, id, "Customer007", "cached");

        Instant changed = Instant.now();
        crm.updateContact(email, "lastname", "Renamed007");
        assertLastNameOnBothNodes(nodes, id, "Customer007", "still cached right after the change");
        for (int node = 0; node < nodes.size(); node++) {
            String seen;
            do {
                Thread.sleep(500);
                seen = nodes.get(node).users().get(id).toRepresentation().getLastName();
            } while (!seen.equals("Renamed007") && Duration.between(changed, Instant.now()).compareTo(CACHE_LIFESPAN.plusSeconds(5)) < 0);
            assertEquals("Renamed007", seen, "node " + (node == A ? "A" : "B") + " once the cache lifespan has passed");
            System.out.printf("Contact renamed in the CRM: node %s shows it after %d ms (cache lifespan %d s)%n",
                    node == A ? "A" : "B", Duration.between(changed, Instant.now()).toMillis(), CACHE_LIFESPAN.toSeconds());
        }

        crm.updateContact(email, "lastname", "Again007");
        assertLastNameOnBothNodes(nodes, id, "Renamed007", "cached again");
        realm.clearUserCache();
        assertLastNameOnBothNodes(nodes, id, "Again007", "after an admin's cache clear on node A");
    }

    static void assertLastNameOnBothNodes(List<RealmResource> nodes, String id, String lastName, String when) {
        assertEquals(lastName, nodes.get(A).users().get(id).toRepresentation().getLastName(), "node A, " + when);
        assertEquals(lastName, nodes.get(B).users().get(id).toRepresentation().getLastName(), "node B, " + when);
    }

    /** Node A dies in the middle of 50 logins: the load balancer sends the rest to node B. */
    @Test
    @Order(5)
    void loginsContinueOnNodeBWhenNodeADiesInTheMiddleOfAStorm() throws Exception {
        lb.sendTo(A);
        AtomicInteger done = new AtomicInteger();
        ExecutorService users = Executors.newFixedThreadPool(STORM_USERS);
        List<Future<Boolean>> logins = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 1; i <= STORM_USERS; i++) {
            String username = "storm" + i;
            logins.add(users.submit(() -> {
                // a person whose login failed tries again, a few times
                for (int attempt = 0; attempt < 5; attempt++) {
                    try {
                        HttpLogin browser = new HttpLogin();
                        HttpLogin.Page page = browser.get(authUrl(), appRedirect());
                        if (page.status() == 200 && browser.submitLogin(page, username, PASSWORD, appRedirect())
                                .param("code") != null) {
                            done.incrementAndGet();
                            return true;
                        }
                    } catch (RuntimeException | AssertionError e) {
                        // the node went away under this attempt
                    }
                    Thread.sleep(500);
                }
                return false;
            }));
        }
        while (done.get() < STORM_USERS / 5 && Duration.between(start, Instant.now()).toSeconds() < 60) {
            Thread.sleep(20);
        }
        int beforeKill = done.get();
        cluster.a().kill();
        Instant killed = Instant.now();
        int succeeded = 0;
        for (Future<Boolean> login : logins) {
            if (login.get()) {
                succeeded++;
            }
        }
        users.shutdown();
        System.out.printf("Login storm: %d users, %d signed in before node A was killed, %d in all, %d failed; "
                + "the last login finished %d ms after the kill%n", STORM_USERS, beforeKill, succeeded,
                STORM_USERS - succeeded, Duration.between(killed, Instant.now()).toMillis());
        assertEquals(STORM_USERS, succeeded, "every user got in, on node B after the kill");

        RealmResource onB = cluster.b().admin().realm(REALM);
        for (int i = 1; i <= STORM_USERS; i++) {
            List<UserRepresentation> found = onB.users().search("storm" + i, true);
            assertEquals(1, found.size(), "storm" + i + " exists once");
            List<String> pending = found.get(0).getRequiredActions();
            assertTrue(pending == null || pending.isEmpty(), "no half-done login left a required action on storm" + i);
        }
    }
}

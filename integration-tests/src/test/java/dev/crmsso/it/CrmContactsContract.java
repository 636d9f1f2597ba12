package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;

import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CrmFederation;
import dev.crmsso.testsupport.crm.KnownContact;
import dev.crmsso.testsupport.crm.SampleCrm;

/**
 * What the CRM contacts federation does on any CRM, run three times: against the CRM stand-in
 * ({@link CrmFederationIT}), the real coreBOS of {@code ../shared/corebos} ({@link CoreBosFederationIT}) and the real
 * vtiger 8.2 of {@code ../shared/vtiger} ({@link VtigerFederationIT}, flavour {@code vtiger}). A subclass names the
 * CRM, its realm and the contacts each test needs; every CRM holds contacts whose last names carry {@code %},
 * {@code _} and a backslash ({@link SampleCrm#AWKWARD_LAST_NAMES}).
 */
abstract class CrmContactsContract {

    static final String CLIENT = "crm-app";
    static final String SECRET = "crm-app-secret";
    /** Nobody listens here: the browser stops at the redirect and the test reads the code. */
    static final String REDIRECT = "http://127.0.0.1:9/callback";
    static final String MSG_INVALID = "Invalid username or password.";
    static final String MSG_NO_PORTAL = "Your customer-portal access is not active";
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The CRM the contract runs against: how the federation reaches it, and the contacts the tests need.
     *
     * @param valid          portal on, right password, an account and groups
     * @param quoteInSurname portal on, a quote in the last name
     * @param supportEnded   portal on, support ended: the CRM refuses its portal login
     * @param portalOff      portal off (no portal access)
     * @param pagingText     a search text that more than 100 portal contacts match, {@code pagingCount} of them
     * @param contactNo      the contact number the CRM gave the contact of an email
     * @param failures       the CRM's count of failed portal logins of the contact of an email; null for a CRM that
     *                       keeps none (vtiger)
     * @param flavour        the federation's CRM flavour setting
     */
    record CrmUnderTest(String url, String apiUser, String accessKey, String groupField, KnownContact valid,
            KnownContact quoteInSurname, KnownContact supportEnded, KnownContact portalOff, String pagingText,
            int pagingCount, Function<String, String> contactNo, ToIntFunction<String> failures, String flavour) {

        /** The CRM's count of failed portal logins of a contact: 0 where the CRM keeps none. */
        int failuresOf(String email) {
            return failures == null ? 0 : failures.applyAsInt(email);
        }
    }

    /** The test run's stack (the same for every subclass), there before a subclass's own set-up runs. */
    static TestStack stack;

    private final String realmName;

    /** @param realmName the realm whose federation a subclass saves: email usernames, portal contacts only */
    CrmContactsContract(String realmName) {
        this.realmName = realmName;
    }

    @BeforeAll
    static void theStack(TestStack testStack) {
        stack = testStack;
    }

    /** The CRM a subclass runs the contract against. */
    abstract CrmUnderTest underTest();

    TestStack stack() {
        return stack;
    }

    String realmName() {
        return realmName;
    }

    KeycloakServer keycloak() {
        return stack().keycloak();
    }

    RealmResource realm() {
        return keycloak().admin().realm(realmName());
    }

    /** The federation an admin saves for this CRM in this realm. */
    ComponentRepresentation federation(String name, String accessKey, boolean enabled) {
        ComponentRepresentation c = federation(realm(), name, underTest().url(), underTest().apiUser(), accessKey,
                underTest().groupField(), enabled);
        c.getConfig().putSingle("flavour", underTest().flavour());
        return c;
    }

    /** A federation of a realm (extra field title; a short read timeout for the fault tests). */
    static ComponentRepresentation federation(RealmResource realm, String name, String crmUrl, String apiUser,
            String accessKey, String groupField, boolean enabled) {
        ComponentRepresentation c = CrmFederation.of(name, realm.toRepresentation().getId(), crmUrl, apiUser,
                accessKey, groupField, enabled);
        c.getConfig().putSingle("extraFields", "title");
        c.getConfig().putSingle("readTimeoutMillis", "1500");
        return c;
    }

    /**
     * A realm as an admin sets one up for CRM customers: events, brute-force detection (it slows bursts of wrong
     * passwords; the federation itself stops before the CRM's own lock, CrmLockoutIT), a confidential client whose
     * tokens carry the account and the groups.
     */
    static RealmResource createRealm(KeycloakServer keycloak, String name) {
        RealmRepresentation r = new RealmRepresentation();
        r.setRealm(name);
        r.setEnabled(true);
        r.setEventsEnabled(true);
        r.setAdminEventsEnabled(true);
        r.setBruteForceProtected(true);
        r.setFailureFactor(3);
        r.setPermanentLockout(false);
        r.setMaxFailureWaitSeconds(900);
        r.setWaitIncrementSeconds(300);
        keycloak.admin().realms().create(r);
        RealmResource realm = keycloak.admin().realm(name);
        ClientRepresentation client = loginClient(CLIENT, SECRET);
        client.setProtocolMappers(List.of(attributeClaim("crm_account", false), attributeClaim("sso_groups", true)));
        realm.clients().create(client).close();
        return realm;
    }

    /** A confidential client with the browser flow that redirects to {@link #REDIRECT}, as {@link #login} needs. */
    static ClientRepresentation loginClient(String clientId, String secret) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setSecret(secret);
        client.setPublicClient(false);
        client.setStandardFlowEnabled(true);
        client.setRedirectUris(List.of(REDIRECT));
        return client;
    }

    /** Saves a federation (Keycloak's save tests the connection to the CRM) and checks that it was. */
    static void save(KeycloakServer keycloak, RealmResource realm, ComponentRepresentation federation) {
        try (Response created = realm.components().add(federation)) {
            assertEquals(201, created.getStatus(), "federation saved (test connection passed): "
                    + created.readEntity(String.class));
        }
        String url = federation.getConfig().getFirst("crmUrl");
        assertTrue(keycloak.log().contains("CRM contacts " + federation.getName() + ": test connection to " + url
                + " as " + federation.getConfig().getFirst("apiUser") + " succeeded"), "test connection log");
    }

    static ProtocolMapperRepresentation attributeClaim(String attribute, boolean multivalued) {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName(attribute);
        m.setProtocol("openid-connect");
        m.setProtocolMapper("oidc-usermodel-attribute-mapper");
        m.setConfig(Map.of("user.attribute", attribute, "claim.name", attribute, "jsonType.label", "String",
                "multivalued", String.valueOf(multivalued), "id.token.claim", "true", "access.token.claim", "true",
                "userinfo.token.claim", "true"));
        return m;
    }

    // configuration: vault reference, test connection

    @Test
    void theAccessKeyCanComeFromTheVaultAndAWrongKeyFailsTheTestConnection() {
        stack().vaultSecret(realmName(), "crm_access_key", underTest().accessKey());
        String id;
        try (Response saved = realm().components().add(federation("crm-from-vault", "${vault.crm_access_key}", false))) {
            assertEquals(201, saved.getStatus(), "a disabled federation is saved without a connection test");
            id = CreatedResponseUtil.getCreatedId(saved);
        }
        try {
            ComponentRepresentation enabled = realm().components().component(id).toRepresentation();
            enabled.getConfig().putSingle("enabled", "true");
            enabled.getConfig().putSingle("priority", "99");
            realm().components().component(id).update(enabled);
            assertTrue(keycloak().log().contains("CRM contacts crm-from-vault: test connection to " + underTest().url()
                    + " as " + underTest().apiUser() + " succeeded"), "the vault's key logged the API user in");

            enabled.getConfig().putSingle("accessKey", "not-the-key");
            BadRequestException refused = assertThrows(BadRequestException.class,
                    () -> realm().components().component(id).update(enabled));
            String answer = refused.getResponse().readEntity(String.class);
            assertTrue(answer.contains("Test connection to the CRM failed: INVALID_USER_CREDENTIALS"), answer);
            assertFalse(keycloak().log().contains("not-the-key"), "no access key in the log");
        } finally {
            realm().components().component(id).remove();
        }
    }

    // portal login of each kind of contact; account names and groups

    @Test
    void aPortalContactLogsInAndCarriesItsAccountAndGroups() throws Exception {
        KnownContact c = underTest().valid();
        JsonNode claims = idTokenClaims(keycloak(), realmName(), signIn(c.email(), c.password()).code());
        assertEquals(c.firstName(), claims.path("given_name").asText());
        assertEquals(c.lastName(), claims.path("family_name").asText());
        assertEquals(c.email(), claims.path("email").asText());
        assertTrue(claims.path("email_verified").asBoolean());
        assertEquals(c.account(), claims.path("crm_account").asText(), "the account's name");
        assertEquals(c.groups(), strings(claims.path("sso_groups")), "the group field; the account apart");
    }

    @Test
    void aContactWithAQuoteInTheSurnameLogsIn() throws Exception {
        KnownContact c = underTest().quoteInSurname();
        JsonNode claims = idTokenClaims(keycloak(), realmName(), signIn(c.email(), c.password()).code());
        assertEquals(c.lastName(), claims.path("family_name").asText());
    }

    @Test
    void aContactWhoseSupportEndedIsToldItsPortalAccessIsNotActive() throws Exception {
        KnownContact c = underTest().supportEnded();
        Login login = signIn(c.email(), c.password());
        assertTrue(login.text().contains(MSG_NO_PORTAL), login.text());
        assertTrue(hasLoginError(realm(), c.email(), "crm_no_portal_access"));
        assertEquals(0, underTest().failuresOf(c.email()), "the CRM counted nothing");
    }

    @Test
    void aContactWithoutPortalAccessIsNobody() throws Exception {
        KnownContact c = underTest().portalOff();
        Login login = signIn(c.email(), c.password());
        assertTrue(login.text().contains(MSG_INVALID), login.text());
        assertTrue(realm().users().searchByEmail(c.email(), true).isEmpty());
        assertEquals(0, underTest().failuresOf(c.email()));
    }

    /**
     * One wrong password for the contact (coreBOS locks a contact for good after 5): refused, counted by a CRM that
     * counts, and the right one then logs in (and sets that count back to 0).
     */
    @Test
    void aWrongPasswordIsRefusedAndCountedByTheCrmAndTheRightOneClearsTheCount() throws Exception {
        KnownContact c = underTest().valid();
        int before = underTest().failuresOf(c.email());
        Login login = signIn(c.email(), "not-" + c.password());
        assertTrue(login.text().contains(MSG_INVALID), login.text());
        assertTrue(hasLoginError(realm(), c.email(), null), "a LOGIN_ERROR event");
        if (underTest().failures() != null) {
            assertEquals(before + 1, underTest().failuresOf(c.email()), "the CRM counted the wrong password");
        }
        assertNotNull(signIn(c.email(), c.password()).code());
        assertEquals(0, underTest().failuresOf(c.email()), "the right password set the CRM's count back to 0");
    }

    /** What an attacker types as a username or a search text finds nobody (on the real CRMs: their real MySQL). */
    @Test
    void injectionAttemptsFindNobody() throws Exception {
        List<String> attempts = List.of("x' OR 1=1;--", "\\'", "' OR ''='", "alice@example.com' OR '1'='1",
                "a\\' OR email LIKE '%", "\\\\' OR 1=1 -- ", "%' OR '%'='");
        for (String attempt : attempts) {
            Login login = signIn(attempt, "whatever");
            assertTrue(login.text().contains(MSG_INVALID), attempt + ": " + login.text());
            assertEquals(List.of(), realm().users().search(attempt, 0, 10), "search " + attempt);
        }
    }

    // lookups by email and contact number

    @Test
    void lookupsByEmailAndByContactNumber() throws Exception {
        KnownContact c = underTest().valid();
        List<UserRepresentation> byEmail = realm().users().searchByEmail(c.email(), true);
        assertEquals(List.of(c.email()), byEmail.stream().map(UserRepresentation::getUsername).toList());
        // the CRM's createdtime (the admin console's "Created at"; without it "Invalid Date"): this century, not later
        Long created = realm().users().get(byEmail.get(0).getId()).toRepresentation().getCreatedTimestamp();
        assertTrue(created != null && created > 946_684_800_000L && created <= System.currentTimeMillis(),
                "created at " + created);

        RealmResource byNumber = contactNumberRealm();
        String number = underTest().contactNo().apply(c.email());
        assertEquals(List.of(c.email()), byNumber.users().search(number, true).stream()
                .map(UserRepresentation::getEmail).toList(), "username " + number);
        assertNotNull(login(keycloak(), realmName() + "-contact-no", CLIENT, number, c.password()).code());

        // portal contacts only is off here: the contact without portal access is a user, and the CRM refuses it
        KnownContact off = underTest().portalOff();
        Login refused = login(keycloak(), realmName() + "-contact-no", CLIENT, underTest().contactNo().apply(off.email()), off.password());
        assertTrue(refused.text().contains(MSG_NO_PORTAL), refused.text());
        assertEquals(0, underTest().failuresOf(off.email()));
    }

    /** A second realm whose federation takes the contact number as username and serves every contact. */
    private RealmResource contactNumberRealm() {
        String name = realmName() + "-contact-no";
        if (keycloak().admin().realms().findAll().stream().noneMatch(r -> r.getRealm().equals(name))) {
            RealmResource r = createRealm(keycloak(), name);
            ComponentRepresentation f = CrmFederation.of("crm-by-number", r.toRepresentation().getId(), underTest().url(),
                    underTest().apiUser(), underTest().accessKey(), underTest().groupField(), true);
            f.getConfig().putSingle("flavour", underTest().flavour());
            f.getConfig().putSingle("usernameField", "contact_no");
            f.getConfig().putSingle("portalOnly", "false");
            save(keycloak(), r, f);
        }
        return keycloak().admin().realm(name);
    }

    // admin-console search, paging, count

    /** The search box finds a contact by a part of its name whatever characters that part holds. */
    @Test
    void theSearchBoxFindsAQuoteABackslashAPercentAndAnUnderscoreLiterally() {
        String quoted = underTest().quoteInSurname().lastName();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(quoted, List.of(quoted));
        expected.put(quoted.substring(0, quoted.indexOf('\'') + 2), List.of(quoted));
        expected.put("'", List.of(quoted));
        expected.put("\\", List.of("Back\\slash"));
        expected.put("%", List.of("Per%cent"));
        expected.put("_", List.of("Under_score"));
        expected.put("r%c", List.of("Per%cent"));
        Map<String, List<String>> found = new LinkedHashMap<>();
        Map<String, Integer> counted = new LinkedHashMap<>();
        for (String text : expected.keySet()) {
            found.put(text, realm().users().search(text, 0, 20).stream().map(UserRepresentation::getLastName).toList());
            counted.put(text, realm().users().count(text));
        }
        assertEquals(expected, found, "last names found for each search text");
        Map<String, Integer> expectedCounts = new LinkedHashMap<>();
        expected.forEach((text, names) -> expectedCounts.put(text, names.size()));
        assertEquals(expectedCounts, counted, "counts");
    }

    @Test
    void theSearchPagesPastAHundredAndCounts() {
        String text = underTest().pagingText();
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        for (int first = 0; first < underTest().pagingCount() + 100; first += 100) {
            List<UserRepresentation> page = realm().users().search(text, first, 100);
            page.forEach(u -> all.add(u.getUsername()));
            seen.addAll(page.stream().map(UserRepresentation::getUsername).toList());
        }
        assertEquals(underTest().pagingCount(), all.size(), "every contact once");
        assertEquals(underTest().pagingCount(), seen.size());
        assertEquals(underTest().pagingCount(), realm().users().count(text));
        List<String> across = realm().users().search(text, 90, 20).stream().map(UserRepresentation::getUsername).toList();
        assertEquals(all.subList(90, 110), across, "a page across the CRM's 100 rows");
    }

    // browser and token helpers

    /** Forgets Keycloak's brute-force count of the user with this email, after a test's deliberate failures. */
    void clearBruteForce(String email) {
        realm().users().searchByEmail(email, true).forEach(u -> realm().attackDetection().clearBruteForceForUser(u.getId()));
    }

    record Login(int status, String location, String text) {
        String code() {
            assertEquals(302, status, "redirected to the application: " + text);
            String query = URI.create(location).getQuery();
            for (String p : query.split("&")) {
                if (p.startsWith("code=")) {
                    return p.substring(5);
                }
            }
            throw new AssertionError("no code in " + location);
        }
    }

    Login signIn(String username, String password) throws Exception {
        return login(keycloak(), realmName(), CLIENT, username, password);
    }

    /** The login form of a realm's confidential client that redirects to {@link #REDIRECT}: its answer. */
    static Login login(KeycloakServer keycloak, String realm, String client, String username, String password)
            throws Exception {
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setJavaScriptEnabled(false);
            browser.getOptions().setCssEnabled(false);
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            HtmlPage form = browser.getPage(keycloak.realmUrl(realm) + "/protocol/openid-connect/auth?client_id=" + client
                    + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
            form.getHtmlElementById("username").setAttribute("value", username);
            form.getHtmlElementById("password").setAttribute("value", password);
            browser.getOptions().setRedirectEnabled(false);
            Page result;
            try {
                result = form.getHtmlElementById("kc-login").click();
            } catch (FailingHttpStatusCodeException e) {
                return new Login(e.getStatusCode(), null, e.getResponse().getContentAsString());
            }
            var response = result.getWebResponse();
            String text = result instanceof HtmlPage page ? page.asNormalizedText() : response.getContentAsString();
            return new Login(response.getStatusCode(), response.getResponseHeaderValue("Location"), text);
        }
    }

    static JsonNode idTokenClaims(KeycloakServer keycloak, String realm, String code) throws Exception {
        String form = "grant_type=authorization_code&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&client_id=" + CLIENT + "&client_secret=" + SECRET;
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloak.realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        String idToken = JSON.readTree(token.body()).path("id_token").asText();
        return JSON.readTree(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]));
    }

    static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** A LOGIN_ERROR event of a realm for this username, with this detail if given. */
    static boolean hasLoginError(RealmResource realm, String username, String detail) {
        List<EventRepresentation> events = realm.getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 200);
        return events.stream().anyMatch(e -> e.getDetails() != null
                && username.equalsIgnoreCase(e.getDetails().get("username"))
                && (detail == null || detail.equals(e.getDetails().get("authentication_error_detail"))));
    }
}

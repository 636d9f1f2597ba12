package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.MydbrForger;
import dev.crmsso.testsupport.MydbrMappers;
import dev.crmsso.testsupport.MydbrStandIn;

/**
 * The myDBR SSO protocol end to end: the test plays myDBR (signs the request, follows the redirects with
 * its own cookie jar, checks the response hash with its own SHA-1) against a real Keycloak.
 */
@ExtendWith(CrmSsoExtension.class)
class MydbrProtocolIT {

    private static final String REALM = "mydbr-it";
    private static final String REPORTS_URL = "https://reports.example.test/mydbr/index.php";
    private static final String SUGAR_URL = "https://sugar.example.test/mydbr/index.php";
    private static final String DISABLED_URL = "https://disabled.example.test/mydbr/index.php";
    private static final String PORTAL_URL = "https://portal.example.test/callback";
    private static final String PASSWORD = "Secret-123";

    private static KeycloakServer keycloak;
    private static RealmResource realm;
    private static String reportsClientId;
    private static String sugarClientId;
    private static String defaultsClientId;

    @BeforeAll
    static void createRealm(KeycloakServer server) {
        keycloak = server;
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(REALM);
        rep.setEnabled(true);
        rep.setEventsEnabled(true);
        rep.setEnabledEventTypes(List.of("LOGIN", "LOGIN_ERROR", "LOGOUT", "LOGOUT_ERROR"));
        rep.setInternationalizationEnabled(true);
        rep.setSupportedLocales(Set.of("en", "es"));
        rep.setDefaultLocale("en");
        keycloak.admin().realms().create(rep);
        realm = keycloak.admin().realm(REALM);

        UPConfig profile = realm.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ENABLED);
        realm.users().userProfile().update(profile);

        // myDBR set to hash no extras (max_sso_extra_parameters = 0): the telephone cannot feed the admin flag
        reportsClientId = createMydbrClient("mydbr-reports", "https://reports.example.test/mydbr/*",
                Map.of("mydbr.extras.accepted", "0"));
        sugarClientId = createMydbrClient("mydbr-sugar", "https://sugar.example.test/*",
                Map.of("mydbr.url.parameter", "mobile", "mydbr.legacy.hash", "true"));
        String disabled = createMydbrClient("mydbr-disabled", "https://disabled.example.test/*", Map.of());
        ClientRepresentation off = realm.clients().get(disabled).toRepresentation();
        off.setEnabled(false);
        realm.clients().get(disabled).update(off);

        RoleRepresentation adminRole = new RoleRepresentation();
        adminRole.setName("admin");
        realm.clients().get(reportsClientId).roles().create(adminRole);

        ClientRepresentation portal = new ClientRepresentation();
        portal.setClientId("portal");
        portal.setProtocol("openid-connect");
        portal.setPublicClient(true);
        portal.setRedirectUris(List.of(PORTAL_URL));
        created(realm.clients().create(portal));

        for (String name : List.of("sales", "reports", "north|south")) {
            GroupRepresentation g = new GroupRepresentation();
            g.setName(name);
            created(realm.groups().add(g));
        }
        createUser("alice", "Alice", "Example", "alice@acme.example",
                Map.of("phone", List.of("+51 1 555 0100"), "organisationId", List.of("ORG-42")),
                List.of("sales", "reports", "north|south"));
        String jose = createUser("jose", "José", "Pérez", "jose@acme.example", Map.of(), List.of());
        // a client as the admin console creates it: myDBR's default of 5 extras, groups and telephone
        defaultsClientId = createMydbrClient("mydbr-defaults", "https://defaults.example.test/*", Map.of());
        GroupRepresentation sales = new GroupRepresentation();
        sales.setName("営業");
        created(realm.groups().add(sales));
        createUser("kenji", "健二", "山田", "kenji@acme.example", Map.of(), List.of("営業"));
        createUser("ana", "Sales", "Ruiz", "ana@acme.example", Map.of(), List.of());
        createUser("ceo@acme.example", "Chief", "Officer", "ceo@acme.example", Map.of(), List.of());
        createUser("ceo@acme.example.au", "Chief", "Officer AU", "ceo@acme.example.au", Map.of(), List.of());
        RoleRepresentation admin = realm.clients().get(reportsClientId).roles().get("admin").toRepresentation();
        realm.users().get(jose).roles().clientLevel(reportsClientId).add(List.of(admin));
    }

    private static String createMydbrClient(String clientId, String redirectUri, Map<String, String> attributes) {
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId(clientId);
        c.setProtocol("mydbr");
        c.setRedirectUris(List.of(redirectUri));
        c.setAttributes(new LinkedHashMap<>(attributes));
        return created(realm.clients().create(c));
    }

    private static String createUser(String username, String first, String last, String email,
                                     Map<String, List<String>> attributes, List<String> groups) {
        UserRepresentation u = new UserRepresentation();
        u.setUsername(username);
        u.setFirstName(first);
        u.setLastName(last);
        u.setEmail(email);
        u.setEmailVerified(true);
        u.setEnabled(true);
        u.setAttributes(attributes);
        u.setGroups(groups.stream().map(g -> "/" + g).toList());
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        u.setCredentials(List.of(password));
        return created(realm.users().create(u));
    }

    private static String created(Response response) {
        try (response) {
            assertEquals(201, response.getStatus(), "created");
            String path = response.getLocation().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private static String secretOf(String clientUuid) {
        return realm.clients().get(clientUuid).getSecret().getValue();
    }

    // ---- myDBR's side of the protocol, written independently of the provider ----

    static String sha1(String... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        for (String p : parts) {
            md.update(p.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The URL myDBR redirects an unknown visitor to. */
    static String loginRequest(String urlParameter, String url, String token, String secret) throws Exception {
        return keycloak.realmUrl(REALM) + "/protocol/mydbr/login?" + urlParameter + "=" + enc(url)
                + "&token=" + token + "&hash=" + sha1(url, token, secret);
    }

    static String newToken() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Query parameters of the redirect myDBR receives, decoded as PHP's $_GET would. */
    static Map<String, String> queryOf(String location) {
        return MydbrStandIn.parameters(URI.create(location).getRawQuery());
    }

    /** What myDBR checks on arrival: sha1(user + name + groups + email + telephone + admin + extras + token + secret). */
    static boolean responseVerifies(Map<String, String> q, String token, String secret) throws Exception {
        String extras = q.keySet().stream().filter(k -> k.matches("extra[0-9]+"))
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a.substring(5)), Integer.parseInt(b.substring(5))))
                .map(q::get).collect(Collectors.joining());
        return q.get("hash").equals(sha1(q.get("user"), q.get("name"), q.get("groups"), q.get("email"),
                q.get("telephone"), q.get("admin"), extras, token, secret));
    }

    /**
     * A browser: redirects followed by hand so that the one to myDBR can be read, and its own cookie jar.
     * The JDK's CookieManager would not send Keycloak's {@code Secure} cookies over the test's plain HTTP
     * (browsers treat localhost as secure), so the jar keeps name → value and honours deletion.
     */
    static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private final String language;

        Browser() {
            this(null);
        }

        /** A browser that asks for pages in {@code language} (Accept-Language on every request). */
        Browser(String language) {
            this.language = language;
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            if (language != null) {
                request.header("Accept-Language", language);
            }
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream()
                        .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; ")));
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('=')).trim();
                String value = pair.substring(pair.indexOf('=') + 1).trim();
                if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return r;
        }

        HttpResponse<String> get(String url) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(url)).GET());
        }

        HttpResponse<String> get(String url, String acceptLanguage) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Accept-Language", acceptLanguage).GET());
        }

        /** Follows redirects while they stay on Keycloak. */
        HttpResponse<String> open(String url) throws IOException, InterruptedException {
            HttpResponse<String> r = get(url);
            while (r.statusCode() / 100 == 3 && location(r).startsWith(keycloak.baseUrl())) {
                r = get(location(r));
            }
            return r;
        }

        /** Answers Keycloak's "Do you want to log out?" page with its own form, as a person clicking the button. */
        HttpResponse<String> confirmLogout(HttpResponse<String> confirmPage) throws IOException, InterruptedException {
            LogoutForm form = LogoutForm.of(confirmPage);
            return post(form.action(), "session_code=" + enc(form.code()) + "&confirmLogout=Logout");
        }

        HttpResponse<String> post(String url, String form) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        /** Fills the realm's login form and submits it. */
        HttpResponse<String> signIn(HttpResponse<String> loginPage, String username) throws IOException, InterruptedException {
            Matcher action = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"")
                    .matcher(loginPage.body());
            assertTrue(action.find(), "a login form");
            String url = (action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&");
            return post(url, "username=" + enc(username) + "&password=" + enc(PASSWORD) + "&credentialId=");
        }
    }

    /** Keycloak's "Do you want to log out?" form: where it posts and its one-time code. */
    record LogoutForm(String action, String code) {
        static LogoutForm of(HttpResponse<String> page) {
            Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page.body());
            Matcher code = Pattern.compile("name=\"session_code\" value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(action.find() && code.find(), "the logout confirmation page: " + page.body());
            return new LogoutForm(action.group(1).replace("&amp;", "&"), code.group(1));
        }
    }

    static String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElse("");
    }

    static boolean isLoginForm(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("kc-form-login");
    }

    static List<EventRepresentation> events(String type) {
        return realm.getEvents(List.of(type), null, null, null, null, null, 0, 100);
    }

    static Browser signedInAs(String username, String token) throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> form = browser.open(loginRequest("url", REPORTS_URL, token, secretOf(reportsClientId)));
        assertTrue(isLoginForm(form), "login form first");
        assertTrue(location(browser.signIn(form, username)).startsWith(REPORTS_URL + "?"));
        return browser;
    }

    // ---- 1. first visit ----

    @Test
    void firstVisitShowsTheLoginFormThenReturnsASignedUserToMydbr() throws Exception {
        Browser browser = new Browser();
        String token = newToken();
        String secret = secretOf(reportsClientId);

        HttpResponse<String> form = browser.open(loginRequest("url", REPORTS_URL, token, secret));
        assertTrue(isLoginForm(form), "the realm's login form: " + form.statusCode());
        HttpResponse<String> back = browser.signIn(form, "alice");

        assertEquals(302, back.statusCode());
        String location = location(back);
        assertTrue(location.startsWith(REPORTS_URL + "?user="), location);
        Map<String, String> q = queryOf(location);
        assertTrue(responseVerifies(q, token, secret), "response hash verifies with the client secret: " + q);
        assertEquals("alice", q.get("user"));
        assertEquals("Alice Example", q.get("name"));
        assertEquals("alice@acme.example", q.get("email"));
        assertEquals("+51 1 555 0100", q.get("telephone"));
        assertEquals("0", q.get("admin"));
        assertFalse(q.containsKey("extra1"), "no extras: myDBR hashes none");
        // "north|south" would split into two groups in myDBR: it is left out, and the admin is told once
        assertEquals(Set.of("sales", "reports"), Set.of(q.get("groups").split("\\|")));
        String warning = "group 'north|south' (realm mydbr-it) is not sent to myDBR";
        assertEquals(1, keycloak.log().split(Pattern.quote(warning), -1).length - 1, "warned once, whatever the logins");
        assertFalse(keycloak.log().contains(secret), "the secret is never logged");

        assertTrue(events("LOGIN").stream().anyMatch(e -> "mydbr-reports".equals(e.getClientId())
                && REPORTS_URL.equals(e.getDetails().get("redirect_uri"))), "LOGIN event for the myDBR client");
    }

    @Test
    void aUserWithTheClientsAdminRoleGetsAdminOneAndNonAsciiNamesVerify() throws Exception {
        Browser browser = new Browser();
        String token = newToken();
        String secret = secretOf(reportsClientId);
        HttpResponse<String> back = browser.signIn(browser.open(loginRequest("url", REPORTS_URL, token, secret)), "jose");

        Map<String, String> q = queryOf(location(back));
        assertTrue(responseVerifies(q, token, secret), "hash over raw UTF-8 values: " + q);
        assertEquals("José Pérez", q.get("name"));
        assertEquals("1", q.get("admin"));
        assertEquals("", q.get("groups"), "groups is sent even when empty");
        assertTrue(location(back).contains("&groups=&"), "empty groups parameter present");
    }

    // ---- 2. single sign-on ----

    @Test
    void secondVisitWithANewTokenReturnsWithoutAPrompt() throws Exception {
        Browser browser = signedInAs("alice", newToken());
        String token = newToken();
        String secret = secretOf(reportsClientId);
        String url = REPORTS_URL + "?a=login&lang=es";

        HttpResponse<String> back = browser.open(loginRequest("url", url, token, secret));

        assertEquals(302, back.statusCode(), "no login form");
        assertTrue(location(back).startsWith(url + "&user=alice&"), "appended to the query string: " + location(back));
        assertTrue(responseVerifies(queryOf(location(back)), token, secret));
    }

    // ---- 3. a session from the OIDC client of the realm ----

    @Test
    void aUserSignedInThroughOidcReachesMydbrWithoutAPrompt() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> oidc = browser.signIn(browser.open(portalLogin()), "alice");
        assertTrue(location(oidc).startsWith(PORTAL_URL + "?"), "OIDC code redirect: " + location(oidc));

        String token = newToken();
        String secret = secretOf(reportsClientId);
        HttpResponse<String> back = browser.open(loginRequest("url", REPORTS_URL, token, secret));

        assertEquals(302, back.statusCode(), "no prompt");
        Map<String, String> q = queryOf(location(back));
        assertEquals("alice", q.get("user"));
        assertTrue(responseVerifies(q, token, secret));
    }

    // ---- 4. refusals ----

    private static void assertRefused(HttpResponse<String> r, String pageText, String error) {
        assertEquals(400, r.statusCode());
        assertTrue(location(r).isEmpty(), "no redirect: " + location(r));
        assertTrue(r.body().contains(pageText), "error page says: " + pageText);
        EventRepresentation last = events("LOGIN_ERROR").get(0);
        assertEquals(error, last.getError());
    }

    @Test
    void aTamperedHashIsRefused() throws Exception {
        String request = loginRequest("url", REPORTS_URL, newToken(), secretOf(reportsClientId));
        String tampered = request.substring(0, request.length() - 1) + (request.endsWith("0") ? "1" : "0");
        assertRefused(new Browser().open(tampered), "could not be verified", "invalid_signature");
        assertEquals("mydbr-reports", events("LOGIN_ERROR").get(0).getClientId());
    }

    @Test
    void theErrorPageSpeaksTheBrowsersLanguage() throws Exception {
        String request = loginRequest("url", REPORTS_URL, newToken(), "not-the-secret");
        assertRefused(new Browser().get(request, "es"), "No se pudo verificar la solicitud", "invalid_signature");
    }

    @Test
    void aHashMadeWithAnotherClientsSecretIsRefused() throws Exception {
        String secret = secretOf(sugarClientId);
        assertRefused(new Browser().open(loginRequest("url", REPORTS_URL, newToken(), secret)),
                "could not be verified", "invalid_signature");
        for (EventRepresentation e : events("LOGIN_ERROR")) {
            assertFalse(String.valueOf(e.getDetails()).contains(secret), "no secret in an event");
        }
        assertFalse(keycloak.log().contains(secret), "no secret in the log");
    }

    @Test
    void aReplayedTokenIsRefused() throws Exception {
        String token = newToken();
        String request = loginRequest("url", REPORTS_URL, token, secretOf(reportsClientId));
        assertTrue(isLoginForm(new Browser().open(request)), "first use");
        assertRefused(new Browser().open(request), "already been used", "replayed_token");
    }

    @Test
    void aReturnUrlNoMydbrClientAllowsIsRefused() throws Exception {
        assertRefused(new Browser().open(loginRequest("url", "https://evil.example.test/steal", newToken(),
                secretOf(reportsClientId))), "not registered", "invalid_redirect_uri");
    }

    @Test
    void aDisabledClientIsRefused() throws Exception {
        assertRefused(new Browser().open(loginRequest("url", DISABLED_URL, newToken(), "whatever")),
                "not enabled for single sign-on", "client_not_found");
    }

    @Test
    void aMissingParameterIsRefused() throws Exception {
        String request = keycloak.realmUrl(REALM) + "/protocol/mydbr/login?url=" + enc(REPORTS_URL) + "&token=" + newToken();
        assertRefused(new Browser().open(request), "incomplete", "invalid_request");
    }

    // ---- 5. answers a re-split would turn into a gain are never signed ----

    private static void assertForgeable(HttpResponse<String> r, String field) {
        assertEquals(400, r.statusCode());
        assertTrue(location(r).isEmpty(), "no redirect to myDBR: " + location(r));
        assertTrue(r.body().contains("not possible for this account"), "the themed page: " + r.body());
        EventRepresentation last = events("LOGIN_ERROR").get(0);
        assertEquals("mydbr_forgeable_answer", last.getError());
        assertEquals(field, last.getDetails().get("field"), "the field that makes it forgeable: " + last.getDetails());
        assertTrue(keycloak.log().contains("not signed: " + field + ":"), "one log line for the admin");
    }

    /** The answer myDBR's reports installation receives for {@code username}'s first sign-in, with {@code token}. */
    private static Map<String, String> answerAtReports(String username, String token) throws Exception {
        Browser browser = new Browser();
        return queryOf(location(browser.signIn(browser.open(loginRequest("url", REPORTS_URL, token,
                secretOf(reportsClientId))), username)));
    }

    private static HttpResponse<String> signInAt(String url, String username, String secret) throws Exception {
        Browser browser = new Browser();
        return browser.signIn(browser.open(loginRequest("url", url, newToken(), secret)), username);
    }

    /** What the attacker knows of the realm: its usernames, myDBR's local admin, the groups a mapper can send. */
    private static MydbrForger.Targets realmTargets() {
        Set<String> identities = realm.users().list(0, 1000).stream().map(UserRepresentation::getUsername)
                .collect(Collectors.toSet());
        identities.add("admin");
        Set<String> groups = realm.groups().groups(null, 0, 1000, false).stream()
                .flatMap(g -> java.util.stream.Stream.concat(java.util.stream.Stream.of(g), realm.groups().group(g.getId())
                        .getSubGroups(0, 100, true).stream()))
                .flatMap(g -> java.util.stream.Stream.of(g.getName(), g.getPath()))
                .map(n -> n.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
        return new MydbrForger.Targets(identities, groups);
    }

    @Test
    void theAttackerFindsNothingInWhatIsSignedAndTheOldAnswerWasForgeable() throws Exception {
        String token = newToken();
        String secret = secretOf(reportsClientId);
        Map<String, String> q = answerAtReports("alice", token);
        assertEquals(List.of(), new MydbrForger(token, secret, 0, false).forge(q, realmTargets()), "nothing to forge in " + q);

        // the same user as the first round answered on a client left at myDBR's default of 5 extras
        Map<String, String> old = new LinkedHashMap<>(Map.of("user", "alice", "name", "Alice Example",
                "groups", "sales|reports", "email", "alice@acme.example", "telephone", "+51 1 555 0100", "admin", "0"));
        MydbrForger oldForger = new MydbrForger(token, secret, 5, false);
        old.put("hash", oldForger.myDbrHash(old));
        assertTrue(oldForger.forge(old, realmTargets()).stream().anyMatch(f -> f.kind().equals("admin")),
                "the old answer gave admin=1");
        // which is why that client now refuses to sign it
        assertForgeable(signInAt("https://defaults.example.test/mydbr/index.php", "alice", secretOf(defaultsClientId)),
                "telephone");
    }

    @Test
    void aFirstNameThatHoldsAGroupsNameIsNotSigned() throws Exception {
        assertForgeable(signInAt(REPORTS_URL, "ana", secretOf(reportsClientId)), "name");
    }

    @Test
    void aUsernameThatAnotherUsernameIsAPrefixOfIsNotSigned() throws Exception {
        assertForgeable(signInAt(REPORTS_URL, "ceo@acme.example.au", secretOf(reportsClientId)), "user");
    }

    @Test
    void theRefusalSpeaksTheBrowsersLanguage() throws Exception {
        Browser browser = new Browser("es");
        HttpResponse<String> refused = browser.signIn(browser.open(loginRequest("url", REPORTS_URL, newToken(),
                secretOf(reportsClientId))), "ana");
        assertTrue(refused.body().contains("no es posible para esta cuenta"), refused.body());
    }

    // ---- 6. what myDBR parses is what was signed, whatever the characters ----

    @Test
    void aReturnUrlOutsideLatin1ArrivesPercentEncodedAndCannotStartAQuery() throws Exception {
        String secret = secretOf(reportsClientId);
        Browser browser = signedInAs("alice", newToken());
        String cjk = "https://reports.example.test/mydbr/index.php嘍user=admin&admin=1&x=";
        String token = newToken();
        HttpResponse<String> back = browser.open(loginRequest("url", cjk, token, secret));
        assertEquals(302, back.statusCode());
        assertTrue(location(back).startsWith("https://reports.example.test/mydbr/index.php%E5%98%8Duser=admin&admin=1&x=?user=alice&"),
                location(back));
        Map<String, String> q = queryOf(location(back));
        assertEquals("alice", q.get("user"));
        assertEquals("0", q.get("admin"));
        assertTrue(responseVerifies(q, token, secret));

        String emoji = "https://reports.example.test/mydbr/\uD83D\uDCCA/index.php";
        token = newToken();
        back = browser.open(loginRequest("url", emoji, token, secret));
        assertTrue(location(back).startsWith("https://reports.example.test/mydbr/%F0%9F%93%8A/index.php?user=alice&"),
                location(back));
        assertTrue(responseVerifies(queryOf(location(back)), token, secret));
    }

    @Test
    void namesAndGroupsOutsideLatin1Verify() throws Exception {
        String token = newToken();
        Map<String, String> q = answerAtReports("kenji", token);
        assertTrue(responseVerifies(q, token, secretOf(reportsClientId)), q.toString());
        assertEquals("健二 山田", q.get("name"));
        assertEquals("営業", q.get("groups"));
    }

    // ---- 7. logout ----

    static String portalLogin() {
        return keycloak.realmUrl(REALM) + "/protocol/openid-connect/auth?client_id=portal&response_type=code"
                + "&scope=openid&redirect_uri=" + enc(PORTAL_URL);
    }

    static String logoutUrl(String url) {
        return keycloak.realmUrl(REALM) + "/protocol/mydbr/logout?url=" + enc(url);
    }

    @Test
    void logoutAsksThenRedirectsToAnAllowedUrlAndEndsTheSession() throws Exception {
        Browser browser = signedInAs("alice", newToken());
        assertTrue(location(browser.open(portalLogin())).startsWith(PORTAL_URL + "?"), "also signed in to the OIDC portal");

        HttpResponse<String> asked = browser.open(logoutUrl(REPORTS_URL));
        assertEquals(200, asked.statusCode());
        assertTrue(asked.body().contains("Do you want to log out?"), "Keycloak's confirmation page");
        assertTrue(asked.body().contains("/protocol/mydbr/logout/confirm"), "posting to the myDBR protocol");
        HttpResponse<String> out = browser.confirmLogout(asked);

        assertEquals(302, out.statusCode());
        assertEquals(REPORTS_URL, location(out));
        assertTrue(isLoginForm(browser.open(loginRequest("url", REPORTS_URL, newToken(), secretOf(reportsClientId)))),
                "the next login asks again");
        assertTrue(isLoginForm(browser.open(portalLogin())), "and so does the OIDC portal: single logout");
        assertTrue(events("LOGOUT").stream().anyMatch(e -> e.getUserId() != null), "LOGOUT event");
    }

    /**
     * A cross-site page can make the browser GET the logout URL (a link, an image); that only shows the question.
     * Posting the confirmation needs this browser's one-time code: the attacker's own code, or none, is refused.
     */
    @Test
    void aCrossSiteLogoutRequestOnlyAsksAndAForgedConfirmationIsRefused() throws Exception {
        Browser victim = signedInAs("alice", newToken());
        HttpResponse<String> asked = victim.get(logoutUrl(REPORTS_URL));
        assertEquals(200, asked.statusCode());
        assertTrue(location(asked).isEmpty(), "no logout, no redirect");

        Browser attacker = signedInAs("jose", newToken());
        HttpResponse<String> attackersPage = attacker.open(logoutUrl(REPORTS_URL));
        LogoutForm attackers = LogoutForm.of(attackersPage);
        String confirm = attackers.action();
        assertEquals(400, victim.post(confirm, "session_code=" + enc(attackers.code()) + "&confirmLogout=Logout").statusCode(),
                "another browser's code");
        assertEquals(400, victim.post(confirm, "confirmLogout=Logout").statusCode(), "no code");

        HttpResponse<String> stillIn = victim.open(loginRequest("url", REPORTS_URL, newToken(), secretOf(reportsClientId)));
        assertEquals(302, stillIn.statusCode(), "the victim is still signed in: no prompt");
        assertTrue(location(stillIn).startsWith(REPORTS_URL + "?user=alice&"), location(stillIn));
    }

    @Test
    void logoutToAForeignUrlDoesNotRedirect() throws Exception {
        Browser browser = signedInAs("alice", newToken());

        HttpResponse<String> out = browser.confirmLogout(browser.open(logoutUrl("https://evil.example.test/")));

        assertEquals(200, out.statusCode());
        assertTrue(location(out).isEmpty());
        assertTrue(out.body().contains("You are logged out"), "logged-out page");
        assertEquals("invalid_redirect_uri", events("LOGOUT_ERROR").get(0).getError());
        assertTrue(isLoginForm(browser.open(loginRequest("url", REPORTS_URL, newToken(), secretOf(reportsClientId)))),
                "the session ended anyway");
    }

    // ---- the protocol mappers an admin configures ----

    @Test
    void configuredMappersSendGroupPathsUnderAParentRoleAdminAndFixedValues() throws Exception {
        GroupRepresentation parent = new GroupRepresentation();
        parent.setName("mydbr");
        String parentId = created(realm.groups().add(parent));
        GroupRepresentation analysts = new GroupRepresentation();
        analysts.setName("analysts");
        String analystsId = created(realm.groups().group(parentId).subGroup(analysts));
        RoleRepresentation mydbrAdmins = new RoleRepresentation();
        mydbrAdmins.setName("mydbr-admins");
        realm.roles().create(mydbrAdmins);
        realm.groups().group(analystsId).roles().realmLevel().add(List.of(realm.roles().get("mydbr-admins").toRepresentation()));
        // a top-level group whose name makes its path look like one under /mydbr
        GroupRepresentation lookalike = new GroupRepresentation();
        lookalike.setName("mydbr/fake");
        created(realm.groups().add(lookalike));
        createUser("carol", "Carol", "Díaz", "carol@acme.example",
                Map.of("organisationId", List.of("ORG-7"), "phone", List.of("+51 1 555 0199")),
                List.of("sales", "mydbr/analysts"));
        String carolId = realm.users().search("carol", true).get(0).getId();
        realm.users().get(carolId).joinGroup(realm.groups().groups("mydbr/fake", 0, 10, false).stream()
                .filter(g -> g.getName().equals("mydbr/fake")).findFirst().orElseThrow().getId());

        // a client that brings its own mappers gets no defaults (so no telephone here)
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId("mydbr-custom");
        c.setProtocol("mydbr");
        c.setRedirectUris(List.of("https://custom.example.test/*"));
        c.setProtocolMappers(List.of(
                MydbrMappers.of("groups", "mydbr-group-membership-mapper", Map.of("full.path", "true", "parent.group", "/mydbr")),
                MydbrMappers.of("admins", "mydbr-role-admin-mapper", Map.of("role", "mydbr-admins")),
                MydbrMappers.of("organisation", "mydbr-user-attribute-mapper",
                        Map.of("user.attribute", "organisationId", "mydbr.parameter", "extra1")),
                // the admin console's form for the client's settings: myDBR hashes one extra
                MydbrMappers.of("answer settings", "mydbr-answer-settings", Map.of("mydbr.extras.accepted", "1"))));
        String customId = created(realm.clients().create(c));
        String secret = secretOf(customId);

        try (Response bad = realm.clients().get(customId).getProtocolMappers().createMapper(MydbrMappers.of("settings",
                "mydbr-answer-settings", Map.of("mydbr.extras.accepted", "many")))) {
            assertEquals(400, bad.getStatus(), "extras accepted is a number");
        }
        // user is the client's setting (User sent as), so that the guard knows what a login looks like
        try (Response bad = realm.clients().get(customId).getProtocolMappers().createMapper(MydbrMappers.of("user",
                "mydbr-user-attribute-mapper", Map.of("user.attribute", "email", "mydbr.parameter", "user")))) {
            assertEquals(400, bad.getStatus(), "no mapper sets user");
        }
        // a mapper for a parameter myDBR does not read is refused by the admin API
        try (Response bad = realm.clients().get(customId).getProtocolMappers().createMapper(MydbrMappers.of("bad",
                "mydbr-hardcoded-value-mapper", Map.of("mydbr.parameter", "hash", "mydbr.value", "x")))) {
            assertEquals(400, bad.getStatus());
        }

        Browser browser = new Browser();
        String token = newToken();
        String url = "https://custom.example.test/mydbr/index.php";
        Map<String, String> q = queryOf(location(browser.signIn(browser.open(loginRequest("url", url, token, secret)), "carol")));

        assertTrue(responseVerifies(q, token, secret), "hash verifies: " + q);
        assertEquals("/mydbr/analysts", q.get("groups"), "full path, only under /mydbr (by identity: not /mydbr/fake)");
        assertEquals("1", q.get("admin"), "realm role through a group");
        assertEquals("ORG-7", q.get("extra1"));
        assertEquals("", q.get("telephone"));
        assertEquals("Carol Díaz", q.get("name"));

        // an extra beyond what myDBR hashes would travel unsigned: the answer is not signed
        realm.clients().get(customId).getProtocolMappers().createMapper(MydbrMappers.of("site", "mydbr-hardcoded-value-mapper",
                Map.of("mydbr.parameter", "extra2", "mydbr.value", "site-lima"))).close();
        HttpResponse<String> refused = browser.open(loginRequest("url", url, newToken(), secret));
        assertForgeable(refused, "extra2");
    }

    /** The admin console's "Create client" wizard sends publicClient=true: a myDBR client is confidential anyway. */
    @Test
    void aClientCreatedAsTheConsoleDoesIsConfidentialWithASecret() {
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId("mydbr-console");
        c.setProtocol("mydbr");
        c.setPublicClient(true);
        c.setRedirectUris(List.of("https://console.example.test/*"));
        String id = created(realm.clients().create(c));
        assertFalse(realm.clients().get(id).toRepresentation().isPublicClient());
        assertFalse(secretOf(id).isBlank(), "a secret for myDBR");
    }

    /** The same settings as the SugarCRM client's attributes, set in the console's form (Answer settings). */
    @Test
    void theUrlParameterAndTheLegacyHashCanBeSetInTheConsolesForm() throws Exception {
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId("mydbr-sugar-form");
        c.setProtocol("mydbr");
        c.setRedirectUris(List.of("https://sugar-form.example.test/*"));
        c.setProtocolMappers(List.of(
                MydbrMappers.of("settings", "mydbr-answer-settings", Map.of("mydbr.url.parameter", "mobile",
                        "mydbr.legacy.hash", "true", "mydbr.extras.accepted", "0")),
                MydbrMappers.of("groups", "mydbr-group-membership-mapper", Map.of("full.path", "false"))));
        String secret = secretOf(created(realm.clients().create(c)));
        String url = "https://sugar-form.example.test/mydbr/index.php";
        String token = newToken();
        Browser browser = new Browser();
        Map<String, String> q = queryOf(location(browser.signIn(browser.open(loginRequest("mobile", url, token, secret)),
                "alice")));
        assertEquals(sha1(q.get("user"), q.get("name"), q.get("groups"), token, secret), q.get("hash"), q.toString());
        assertEquals(Set.of("user", "name", "groups", "hash"), q.keySet());
    }

    // ---- 8. the url parameter renamed (SugarCRM), with the legacy hash; the secret regenerated ----

    @Test
    void aClientWithUrlParameterMobileAndLegacyHashWorksEndToEnd() throws Exception {
        String oldSecret = secretOf(sugarClientId);
        ClientResource sugar = realm.clients().get(sugarClientId);
        String secret = sugar.generateNewSecret().getValue();
        assertNotEquals(oldSecret, secret);
        assertRefused(new Browser().open(loginRequest("mobile", SUGAR_URL, newToken(), oldSecret)),
                "could not be verified", "invalid_signature");

        Browser browser = new Browser();
        String token = newToken();
        HttpResponse<String> back = browser.signIn(browser.open(loginRequest("mobile", SUGAR_URL, token, secret)), "alice");

        String location = location(back);
        assertTrue(location.startsWith(SUGAR_URL + "?"), location);
        Map<String, String> q = queryOf(location);
        // the SugarCRM example's hash: sha1(user + name + groups + token + secret)
        assertEquals(sha1(q.get("user"), q.get("name"), q.get("groups"), token, secret), q.get("hash"));
        assertEquals("alice", q.get("user"));
        assertEquals(Set.of("user", "name", "groups", "hash"), q.keySet(), "nothing the legacy hash does not cover");

        // a mapper for a value the legacy hash does not cover is refused when saved
        try (Response bad = sugar.getProtocolMappers().createMapper(MydbrMappers.of("telephone", "mydbr-user-attribute-mapper",
                Map.of("user.attribute", "phone", "mydbr.parameter", "telephone")))) {
            assertEquals(400, bad.getStatus());
            assertTrue(bad.readEntity(String.class).contains("legacy hash"));
        }
    }

    /**
     * A refused mapper is answered in the admin's language, as the admin console's whoami resolves it (the admin's
     * locale attribute in a realm with Spanish): the Spanish sentence, never the key. admin-cli's lightweight token
     * carries no locale claim, so Keycloak's own way (the token's claim) would answer in English.
     */
    @Test
    void aRefusedMapperIsAnsweredInTheAdminsLanguage() throws Exception {
        String adminId = createUser("admin-es", "Admin", "Spanish", "admin-es@acme.example",
                Map.of("locale", List.of("es")), List.of());
        try {
            ClientRepresentation realmManagement = realm.clients().findByClientId("realm-management").get(0);
            realm.users().get(adminId).roles().clientLevel(realmManagement.getId()).add(List.of(
                    realm.clients().get(realmManagement.getId()).roles().get("manage-clients").toRepresentation()));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(keycloak.realmUrl(REALM)
                            + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin-es"
                            + "&password=" + PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            Matcher accessToken = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
            assertTrue(accessToken.find());

            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/"
                            + REALM + "/clients/" + reportsClientId + "/protocol-mappers/models"))
                    .header("Authorization", "Bearer " + accessToken.group(1)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bad\",\"protocol\":\"mydbr\",\"protocolMapper\":"
                            + "\"mydbr-hardcoded-value-mapper\",\"config\":{\"mydbr.parameter\":\"hash\",\"mydbr.value\":\"x\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("'hash' no es un par\u00e1metro SSO de myDBR que un mapeador pueda fijar"),
                    refused.body());
            assertFalse(refused.body().contains("mydbrInvalidMapperParameter"), refused.body());
        } finally {
            realm.users().get(adminId).remove();
        }
    }
}

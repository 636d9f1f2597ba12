package dev.crmsso.userstorage;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Speaks the CRM's {@code webservice.php} for one federation: one API session shared by every
 * thread, its login single-flight (one login at a time, whose answer every waiting thread shares),
 * renewed once when the CRM says it is gone; the contacts' password check (coreBOS's portal login,
 * vtiger's customer-portal API); and a circuit breaker ({@link CrmBreaker}) in front of every request.
 */
public final class CrmClient {

    private static final Logger LOG = Logger.getLogger(CrmClient.class);
    /** A challenge token is not reused in its last seconds: the login could arrive after it expired. */
    private static final long TOKEN_MARGIN_SECONDS = 30;

    private final CrmConfig config;
    private final CrmHttp http;
    private final CrmBreaker breaker;
    private final String refused;
    /** The API user's login under way, which every thread that needs a session waits for. */
    private final AtomicReference<CompletableFuture<String>> loginInFlight = new AtomicReference<>();
    private volatile String sessionName;
    private final ConcurrentMap<String, Challenge> portalChallenges = new ConcurrentHashMap<>();

    private record Challenge(String token, long expireTime) {
        boolean usableAt(long epochSecond) {
            return epochSecond + TOKEN_MARGIN_SECONDS < expireTime;
        }
    }

    /** A client with an HTTP client of its own (tests): Keycloak's runs through {@link #CrmClient(CrmConfig, CrmBreaker, String, CrmHttp)}. */
    CrmClient(CrmConfig config) {
        this(config, new CrmBreaker(config.baseUrl().toString(), Duration.ofSeconds(CrmBreaker.DEFAULT_OPEN_SECONDS)));
    }

    CrmClient(CrmConfig config, CrmBreaker breaker) {
        this(config, breaker, null, CrmHttp.standalone(config));
    }

    /**
     * @param refused when not null, why nothing may be sent to this CRM (each call fails with it, unsent)
     * @param http    how requests reach the CRM; closed with this client
     */
    CrmClient(CrmConfig config, CrmBreaker breaker, String refused, CrmHttp http) {
        this.config = config;
        this.breaker = breaker;
        this.refused = refused;
        this.http = http;
    }

    public CrmConfig config() {
        return config;
    }

    /** The CRM failed to answer several times in a row: callers are told at once, without a request. */
    public boolean isBreakerOpen() {
        return breaker.isOpen();
    }

    /** A VTQL query with the shared session: its rows. */
    public CrmResponse query(Vtql query) {
        return withSession(s -> post(params("operation", "query", "sessionName", s, "query", query.toString())));
    }

    /** Logs the API user in now (a new session), for "test connection": the CRM's version. */
    public String testLogin() {
        JsonNode login = login();
        sessionName = login.path("sessionName").asText();
        return login.path("vtigerVersion").asText("?") + " (web service " + login.path("version").asText("?") + ")";
    }

    /**
     * coreBOS's portal login: {@code getchallenge} with the contact's email (the token is
     * reused until its {@code expireTime}), {@code loginPortal} with md5(token + password),
     * then the portal session it opens is logged out off the caller's path. Accepted only for the contact that was
     * looked up ({@link PortalLoginResult#successFor}): coreBOS finds the portal row by its user name
     * ({@code include/Webservices/LoginPortal.php}, {@code vtws_loginportal}) and answers with its contact.
     */
    public PortalLoginResult loginPortal(String email, String contactId, String password) {
        long now = Instant.now().getEpochSecond();
        Challenge cached = portalChallenges.get(email);
        boolean reused = cached != null && cached.usableAt(now);
        Challenge challenge;
        if (reused) {
            challenge = cached;
        } else {
            try {
                challenge = challenge(email);
            } catch (CrmException e) {
                if ("AUTHENTICATION_REQUIRED".equals(e.code())) {
                    return PortalLoginResult.NO_PORTAL_ACCESS;
                }
                if (e.isBreakerOpen()) {
                    throw e;
                }
                // no portal login was sent: nothing for the CRM to count
                throw CrmException.notReached(e.getMessage());
            }
            portalChallenges.put(email, challenge);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("operation", "loginPortal");
        form.put("username", email);
        form.put("password", md5(challenge.token() + password));
        try {
            JsonNode answer = post(form).result();
            String portalSession = answer.path("sessionName").asText("");
            if (!portalSession.isEmpty()) {
                logoutLater(portalSession);
            }
            PortalLoginResult result = PortalLoginResult.successFor(answer.path("user").path("contactid").asText(""),
                    contactId);
            if (result == PortalLoginResult.OTHER_CONTACT) {
                // the token belongs to the other contact's portal row: the next login asks for one of its own
                portalChallenges.remove(email, challenge);
            }
            return result;
        } catch (CrmException e) {
            switch (String.valueOf(e.code())) {
                case "INVALID_USER_CREDENTIALS":
                    if (reused) {
                        // the CRM may have dropped the token for a newer one: the next attempt asks again
                        portalChallenges.remove(email, challenge);
                    }
                    return PortalLoginResult.WRONG_PASSWORD;
                case "INVALID_AUTH_TOKEN":
                    // the CRM no longer knows the token (its clock, or a restart) and, as coreBOS does,
                    // counted a failed attempt all the same: a failure; the next attempt asks for a new token
                    portalChallenges.remove(email, challenge);
                    LOG.debugf("CRM %s: portal login refused the challenge token (counted as a failure)", config.baseUrl());
                    return PortalLoginResult.WRONG_PASSWORD;
                case "AUTHENTICATION_REQUIRED":
                    return PortalLoginResult.NO_PORTAL_ACCESS;
                case "AUTHENTICATION_FAILURE":
                    return PortalLoginResult.LOCKED;
                default:
                    throw e;
            }
        }
    }

    /**
     * vtiger's portal password check (7.1 and later): {@code FetchProfile} on the customer-portal API, which reads
     * only the POST body ({@code api.php}: {@code $_POST}) and wants an {@code Authorization: Basic} header to be
     * there (it checks the body's password, not the header's); no session is opened, nothing is written, nothing
     * counted. The password is never in a URL. Accepted only for the contact that was looked up
     * ({@link PortalApiAnswer#accepted}).
     */
    public PortalLoginResult checkPortalPassword(String email, String contactId, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_operation", "FetchProfile");
        form.put("username", email);
        form.put("password", password);
        String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
        // vtiger counts nothing for FetchProfile: a request lost on a stale connection may be sent again
        CrmHttp.Request request = new CrmHttp.Request(config.portalApi(), form(form),
                Map.of("Authorization", "Basic " + basic), true);
        try {
            return PortalApiAnswer.accepted(send(request, PortalApiAnswer::parse).result(), contactId);
        } catch (CrmException e) {
            if (e.isUnavailable()) {
                throw e;
            }
            return PortalApiAnswer.refused(e);
        }
    }

    /**
     * For "test connection" with the portal API: asks it about a user name no contact has (a refusal is the right
     * answer), so that a save fails when there is no portal API (vtiger 7.0: HTTP 404) or the web server keeps the
     * Authorization header from PHP (HTTP 401). Nothing is written by the CRM.
     */
    public void probePortalApi() {
        try {
            checkPortalPassword("crm-sso-test-connection@invalid", "", java.util.UUID.randomUUID().toString());
        } catch (CrmException e) {
            throw CrmException.error("PORTAL_API", "customer-portal API " + config.portalApi() + ": " + e.getMessage()
                    + (e.isUnavailable() ? " (vtiger 7.0 has none: flavour " + CrmContactsConstants.FLAVOUR_VTIGER_LOOKUP_ONLY
                    + ")" : ""));
        }
    }

    /** {@code md5(token + secret)} in lower-case hex, as {@code login} and {@code loginPortal} expect. */
    public static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private CrmResponse withSession(Function<String, CrmResponse> call) {
        String session = currentSession();
        try {
            return call.apply(session);
        } catch (CrmException e) {
            if (!e.isSessionGone()) {
                throw e;
            }
            LOG.debugf("CRM %s: API session gone (%s), logging in again", config.baseUrl(), e.code());
            return call.apply(renew(session));
        }
    }

    private String currentSession() {
        String s = sessionName;
        return s != null ? s : renew(null);
    }

    /**
     * Single flight: one thread logs the API user in, every other thread that needs a session meanwhile
     * waits for that same login and shares its answer (or its failure): a dead CRM costs them one
     * timeout together, never one after another. A session newer than {@code stale} is taken as it is.
     */
    private String renew(String stale) {
        while (true) {
            String current = sessionName;
            if (current != null && !current.equals(stale)) {
                return current;
            }
            CompletableFuture<String> mine = new CompletableFuture<>();
            CompletableFuture<String> running = loginInFlight.compareAndExchange(null, mine);
            if (running != null) {
                return await(running);
            }
            try {
                current = sessionName;
                if (current != null && !current.equals(stale)) {
                    mine.complete(current);
                    return current;
                }
                String fresh = login().path("sessionName").asText();
                sessionName = fresh;
                mine.complete(fresh);
                return fresh;
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                loginInFlight.compareAndSet(mine, null);
            }
        }
    }

    private static String await(CompletableFuture<String> login) {
        try {
            return login.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private JsonNode login() {
        Challenge challenge = challenge(config.apiUser());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("operation", "login");
        form.put("username", config.apiUser());
        form.put("accessKey", md5(challenge.token() + config.accessKey()));
        JsonNode result = post(form).result();
        if (result.path("sessionName").asText("").isEmpty()) {
            throw CrmException.unavailable("CRM login answered no session", null);
        }
        return result;
    }

    private Challenge challenge(String username) {
        JsonNode result = post(params("operation", "getchallenge", "username", username)).result();
        String token = result.path("token").asText("");
        // expireTime is a number when the token is new, a string when it is reused
        long expire;
        try {
            expire = Long.parseLong(result.path("expireTime").asText(""));
        } catch (NumberFormatException e) {
            expire = 0;
        }
        if (token.isEmpty()) {
            throw CrmException.unavailable("CRM challenge answered no token", null);
        }
        return new Challenge(token, expire);
    }

    /** Not through the breaker: its answer tells nothing anyone waits for. */
    private void logoutLater(String portalSession) {
        http.postLater(postRequest(Map.of("operation", "logout", "sessionName", portalSession)));
    }

    private static Map<String, String> params(String... keysAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
    }

    private CrmResponse post(Map<String, String> params) {
        return send(postRequest(params));
    }

    /**
     * Every call is a POST form: no session id, password hash or contact email is ever in a URL, where
     * web servers and proxies log it. coreBOS reads every operation's parameters from the request as a
     * whole ({@code $_REQUEST} in {@code webservice.php} and {@code OperationManager::getOperationInput}).
     * vtiger 7 reads an operation registered as GET ({@code getchallenge}, {@code query}, {@code retrieve})
     * from the URL only, but the session from the request as a whole: for it the parameters other than
     * the session go in the URL as well, the session in the body alone ({@link Flavour#getParametersInUrl}, run on
     * the real vtiger 8.2: with them in the body alone it answers ACCESS_DENIED).
     */
    private CrmHttp.Request postRequest(Map<String, String> params) {
        URI uri = config.endpoint();
        if (config.flavour().getParametersInUrl() && !"login".equals(params.get("operation"))
                && !"loginPortal".equals(params.get("operation"))) {
            Map<String, String> inUrl = new LinkedHashMap<>(params);
            inUrl.remove("sessionName");
            uri = URI.create(config.endpoint() + "?" + form(inUrl));
        }
        // coreBOS counts every loginPortal it reads: never sent twice (the others read, or open an API session)
        return new CrmHttp.Request(uri, form(params), Map.of(), !"loginPortal".equals(params.get("operation")));
    }

    /**
     * Exceptions name the failure's kind, never the request (its URL can carry a session). Every request
     * passes the breaker: none is sent while it is open, and each answer (or its absence) is told to it.
     */
    private CrmResponse send(CrmHttp.Request request) {
        return send(request, CrmResponse::parse);
    }

    private CrmResponse send(CrmHttp.Request request, BiFunction<Integer, String, CrmResponse> parser) {
        if (refused != null) {
            throw CrmException.notReached(refused);
        }
        if (!breaker.allow()) {
            throw CrmException.breakerOpen(breaker.openTime().toSeconds());
        }
        CrmResponse answer;
        try {
            CrmHttp.Answer response = http.post(request);
            answer = parser.apply(response.status(), response.body());
        } catch (CrmException e) {
            if (e.isUnavailable()) {
                breaker.failed(e.getMessage());
            } else {
                breaker.succeeded();
            }
            throw e;
        } catch (RuntimeException e) {
            breaker.released();
            throw e;
        }
        breaker.succeeded();
        return answer;
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Ends the API session's use (the CRM lets it expire on its own) and closes the HTTP client's part that is this client's. */
    public void close() {
        portalChallenges.clear();
        sessionName = null;
        http.close();
    }
}

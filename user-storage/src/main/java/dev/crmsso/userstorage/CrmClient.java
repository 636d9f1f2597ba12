package dev.crmsso.userstorage;

import java.io.IOException;
import java.net.URI;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Speaks the CRM's {@code webservice.php} for one federation: one API session shared by every
 * thread, its login serialised (a new challenge can void a token another thread is about to
 * use), renewed once when the CRM says it is gone; and the contacts' portal login.
 */
public final class CrmClient {

    private static final Logger LOG = Logger.getLogger(CrmClient.class);
    /** A challenge token is not reused in its last seconds: the login could arrive after it expired. */
    private static final long TOKEN_MARGIN_SECONDS = 30;

    private final CrmConfig config;
    private final HttpClient http;
    private final Object loginLock = new Object();
    private volatile String sessionName;
    private final ConcurrentMap<String, Challenge> portalChallenges = new ConcurrentHashMap<>();

    private record Challenge(String token, long expireTime) {
        boolean usableAt(long epochSecond) {
            return epochSecond + TOKEN_MARGIN_SECONDS < expireTime;
        }
    }

    public CrmClient(CrmConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    }

    public CrmConfig config() {
        return config;
    }

    /** A VTQL query with the shared session: the rows and {@code moreinfo.totalrows}. */
    public CrmResponse query(Vtql query) {
        return withSession(s -> get(Map.of("operation", "query", "sessionName", s, "query", query.toString())));
    }

    /** Every field of one record. */
    public JsonNode retrieve(String id) {
        return withSession(s -> get(Map.of("operation", "retrieve", "sessionName", s, "id", id))).result();
    }

    /** Logs the API user in now (a new session), for "test connection": the CRM's version. */
    public String testLogin() {
        synchronized (loginLock) {
            JsonNode login = login();
            sessionName = login.path("sessionName").asText();
            return login.path("vtigerVersion").asText("?") + " (web service " + login.path("version").asText("?") + ")";
        }
    }

    /**
     * coreBOS's portal login: {@code getchallenge} with the contact's email (the token is
     * reused until its {@code expireTime}), {@code loginPortal} with md5(token + password),
     * then the portal session it opens is logged out off the caller's path.
     */
    public PortalLoginResult loginPortal(String email, String password) {
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
            String portalSession = post(form).result().path("sessionName").asText("");
            if (!portalSession.isEmpty()) {
                logoutLater(portalSession);
            }
            return PortalLoginResult.SUCCESS;
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
        if (s != null) {
            return s;
        }
        synchronized (loginLock) {
            if (sessionName == null) {
                sessionName = login().path("sessionName").asText();
            }
            return sessionName;
        }
    }

    /** Only the first thread to see a session gone logs in again; the others take its new session. */
    private String renew(String stale) {
        synchronized (loginLock) {
            if (sessionName == null || sessionName.equals(stale)) {
                sessionName = login().path("sessionName").asText();
            }
            return sessionName;
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
        JsonNode result = get(Map.of("operation", "getchallenge", "username", username)).result();
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

    private void logoutLater(String portalSession) {
        http.sendAsync(postRequest(Map.of("operation", "logout", "sessionName", portalSession)),
                HttpResponse.BodyHandlers.discarding())
                .exceptionally(e -> {
                    LOG.debugf("CRM %s: portal session logout failed: %s", config.baseUrl(), e.getClass().getSimpleName());
                    return null;
                });
    }

    private CrmResponse get(Map<String, String> params) {
        return send(HttpRequest.newBuilder(URI.create(config.endpoint() + "?" + form(params)))
                .timeout(config.readTimeout()).GET().build());
    }

    private CrmResponse post(Map<String, String> params) {
        return send(postRequest(params));
    }

    private HttpRequest postRequest(Map<String, String> params) {
        return HttpRequest.newBuilder(config.endpoint()).timeout(config.readTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build();
    }

    /** Exceptions name the failure's kind, never the request (its URL can carry a session). */
    private CrmResponse send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw CrmException.notReached("CRM not reachable within " + config.connectTimeout().toMillis() + " ms");
        } catch (HttpTimeoutException e) {
            throw CrmException.unavailable("CRM did not answer within " + config.readTimeout().toMillis() + " ms", null);
        } catch (ConnectException e) {
            throw CrmException.notReached("CRM not reachable (" + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw CrmException.unavailable("CRM not reachable (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CrmException.unavailable("interrupted while waiting for the CRM", null);
        }
        return CrmResponse.parse(response.statusCode(), response.body());
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Ends the API session's use; the CRM lets it expire on its own. */
    public void close() {
        portalChallenges.clear();
        sessionName = null;
    }
}

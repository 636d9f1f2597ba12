package dev.crmsso.testsupport.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a CRM admin does through coreBOS's web service in a test run (create contacts, change a field, read
 * what the CRM holds), as {@code ../shared/crm-webservice.md} describes it: {@code getchallenge}, {@code login}
 * with md5(token + access key), then operations with {@code sessionName}. Independent of the federation's own
 * client on purpose: the tests must not seed the CRM through the code they test.
 */
public final class CrmWebService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final String user;
    private final String accessKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String session;
    private String userId;

    public CrmWebService(String baseUrl, String user, String accessKey) {
        this.endpoint = baseUrl + "/webservice.php";
        this.user = user;
        this.accessKey = accessKey;
    }

    /** An error answer ({@code success:false}) of the CRM. */
    public static final class Refused extends RuntimeException {
        public final String code;

        Refused(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }
    }

    /** The rows of a VTQL query (at most 100). */
    public JsonNode query(String vtql) {
        return call("GET", "query", Map.of("query", vtql));
    }

    public JsonNode retrieve(String id) {
        return call("GET", "retrieve", Map.of("id", id));
    }

    /** Creates records of one module in one request ({@code MassCreate}); the created records, in order. */
    public JsonNode massCreate(String module, List<Map<String, Object>> elements) {
        List<Map<String, Object>> wrapped = elements.stream().map(e -> Map.<String, Object>of("elementType", module,
                "referenceId", "", "element", e)).toList();
        JsonNode result = call("POST", "MassCreate", Map.of("elements", json(wrapped)));
        if (result.path("failed_creates").size() > 0) {
            throw new IllegalStateException("MassCreate failed for some records: " + result.path("failed_creates"));
        }
        return result.path("success_creates");
    }

    public JsonNode create(String module, Map<String, Object> element) {
        return call("POST", "create", Map.of("elementType", module, "element", json(element)));
    }

    /** Changes the given fields of a record ({@code id} among them), as an edit in the CRM does. */
    public JsonNode revise(Map<String, Object> element) {
        return call("POST", "revise", Map.of("element", json(element)));
    }

    /** An operation with the API session (logged in on first use, again once when the CRM says it is gone). */
    public synchronized JsonNode call(String method, String operation, Map<String, String> params) {
        if (session == null) {
            session = login();
        }
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("operation", operation);
        all.put("sessionName", session);
        try {
            return send(method, all);
        } catch (Refused e) {
            if (!"AUTHENTICATION_REQUIRED".equals(e.code)) {
                throw e;
            }
            session = login();
            all.put("sessionName", session);
            return send(method, all);
        }
    }

    /** The API user's record id ({@code 19x1} on a default install), as its login answered it. */
    public synchronized String userId() {
        if (session == null) {
            session = login();
        }
        return userId;
    }

    private String login() {
        String token = send("GET", Map.of("operation", "getchallenge", "username", user)).path("token").asText();
        JsonNode login = send("POST", Map.of("operation", "login", "username", user,
                "accessKey", CrmStandIn.md5(token + accessKey)));
        userId = login.path("userId").asText();
        return login.path("sessionName").asText();
    }

    /** One request without a session; the {@code result} of a success. */
    public JsonNode send(String method, Map<String, String> params) {
        String form = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = "GET".equals(method)
                ? HttpRequest.newBuilder(URI.create(endpoint + "?" + form)).timeout(Duration.ofSeconds(60)).GET().build()
                : HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            JsonNode root = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            if (!root.path("success").asBoolean(false)) {
                throw new Refused(root.path("error").path("code").asText(), root.path("error").path("message").asText());
            }
            return root.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

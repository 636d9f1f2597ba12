package dev.crmsso.userstorage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a {@code webservice.php} answer. The CRM says HTTP 200 whatever happens, so the body
 * decides: {@code {"success":true,"result":...}}, {@code {"success":false,"error":{code,message}}},
 * or anything else (an HTML error page, a PHP warning before the JSON, a cut-off body), which
 * counts as an unavailable CRM.
 */
public final class CrmResponse {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 60;

    private final JsonNode result;

    private CrmResponse(JsonNode result) {
        this.result = result;
    }

    public static CrmResponse parse(int status, String body) {
        if (status != 200) {
            throw CrmException.unavailable("CRM answered HTTP " + status, null);
        }
        String trimmed = body == null ? "" : body.strip();
        if (!trimmed.startsWith("{")) {
            throw CrmException.unavailable("CRM answered no JSON (" + describe(trimmed) + ")", null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(trimmed);
        } catch (JsonProcessingException e) {
            throw CrmException.unavailable("CRM answered broken JSON (" + describe(trimmed) + ")", null);
        }
        JsonNode success = root.get("success");
        if (success == null || !success.isBoolean()) {
            throw CrmException.unavailable("CRM answer has no success flag", null);
        }
        if (!success.booleanValue()) {
            JsonNode error = root.path("error");
            String code = error.path("code").asText("");
            if (code.isEmpty()) {
                throw CrmException.unavailable("CRM refused without an error code", null);
            }
            throw CrmException.error(code, error.path("message").asText(""));
        }
        JsonNode result = root.get("result");
        if (result == null || result.isNull()) {
            throw CrmException.unavailable("CRM answer has no result", null);
        }
        return new CrmResponse(result);
    }

    public JsonNode result() {
        return result;
    }

    /** A bounded, single-line excerpt for the log: enough to recognise an HTML page. */
    private static String describe(String body) {
        if (body.isEmpty()) {
            return "empty body";
        }
        String line = body.replaceAll("\\s+", " ");
        return "starts with \"" + (line.length() > EXCERPT ? line.substring(0, EXCERPT) + "..." : line) + "\"";
    }
}

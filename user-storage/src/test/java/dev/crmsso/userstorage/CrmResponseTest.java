package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrmResponseTest {

    @Test
    void readsAResult() {
        CrmResponse r = CrmResponse.parse(200,
                "{\"success\":true,\"result\":[{\"id\":\"12x8588\",\"portal\":\"1\"}],\"moreinfo\":{\"totalrows\":\"1\"}}");
        assertEquals("12x8588", r.result().get(0).get("id").asText());
    }

    @Test
    void anErrorCarriesItsCode() {
        CrmException e = assertThrows(CrmException.class, () -> CrmResponse.parse(200,
                "{\"success\":false,\"error\":{\"message\":\"Authentication required\",\"code\":\"AUTHENTICATION_REQUIRED\"},\"moreinfo\":null}"));
        assertEquals("AUTHENTICATION_REQUIRED", e.code());
        assertTrue(e.isSessionGone());
        assertFalse(e.isUnavailable());
    }

    @Test
    void everySessionEndCodeRenews() {
        for (String code : new String[] {"INVALID_SESSIONID", "SESSION_EXPIRED", "SESSION_LEFT_IDLE"}) {
            assertTrue(CrmException.error(code, "x").isSessionGone(), code);
        }
        assertFalse(CrmException.error("QUERY_SYNTAX_ERROR", "x").isSessionGone());
        assertFalse(CrmException.error("INVALID_USER_CREDENTIALS", "x").isSessionGone());
    }

    @Test
    void garbageIsAnUnavailableCrm() {
        String[] bodies = {
            "<html><body>Fatal error</body></html>",
            "{\"success\":true,\"result\":[{\"id\":\"12x80",
            "",
            "Warning: session_start() ... {\"success\":true,\"result\":[]}",
            "{\"result\":[]}",
            "{\"success\":\"yes\",\"result\":[]}",
            "{\"success\":false,\"error\":{}}",
            "{\"success\":true}",
        };
        for (String body : bodies) {
            CrmException e = assertThrows(CrmException.class, () -> CrmResponse.parse(200, body), body);
            assertTrue(e.isUnavailable(), body);
        }
        assertTrue(assertThrows(CrmException.class, () -> CrmResponse.parse(502, "{\"success\":true,\"result\":[]}"))
                .isUnavailable());
    }

    @Test
    void theLogExcerptOfAnHtmlPageIsShortAndOneLine() {
        String page = "<html>\n<body>" + "x".repeat(5000) + "</body></html>";
        String message = assertThrows(CrmException.class, () -> CrmResponse.parse(200, page)).getMessage();
        assertTrue(message.length() < 150, message);
        assertFalse(message.contains("\n"));
    }
}

package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** vtiger's customer-portal answers, as the real vtiger 8.2 gave them ({@code ../shared/vtiger/README.md}). */
class PortalApiAnswerTest {

    private static final String ALICE = "12x3";

    private static PortalLoginResult answer(int status, String body) {
        try {
            return PortalApiAnswer.accepted(PortalApiAnswer.parse(status, body).result(), ALICE);
        } catch (CrmException e) {
            if (e.isUnavailable()) {
                throw e;
            }
            return PortalApiAnswer.refused(e);
        }
    }

    @Test
    void eachAnswerIsOneResult() {
        Map<String, PortalLoginResult> table = new LinkedHashMap<>();
        table.put("{\"success\":true,\"result\":{\"customer_details\":{\"email\":\"alice@example.com\",\"id\":\"12x3\"}}}",
                PortalLoginResult.SUCCESS);
        // portal user names are not unique: the first row whose password matches wins, another contact's
        table.put("{\"success\":true,\"result\":{\"customer_details\":{\"email\":\"alice@example.com\",\"id\":\"12x4\"}}}",
                PortalLoginResult.OTHER_CONTACT);
        table.put("{\"success\":true,\"result\":{\"customer_details\":{}}}", PortalLoginResult.OTHER_CONTACT);
        table.put("{\"success\":true,\"result\":\"login success\"}", PortalLoginResult.OTHER_CONTACT);
        table.put("{\"success\":false,\"error\":{\"code\":1414,\"message\":\"Portal access has not been enabled for this account.\"}}",
                PortalLoginResult.WRONG_PASSWORD);
        table.put("{\"success\":false,\"error\":{\"code\":1412,\"message\":\"Login failed\"}}",
                PortalLoginResult.NO_PORTAL_ACCESS);
        table.put("{\"success\":false,\"error\":{\"code\":1413,\"message\":\"Access to the portal was disabled on 2021-12-31\"}}",
                PortalLoginResult.NO_PORTAL_ACCESS);
        Map<String, PortalLoginResult> got = new LinkedHashMap<>();
        table.keySet().forEach(body -> got.put(body, answer(200, body)));
        assertEquals(table, got);
    }

    @Test
    void noAuthorizationHeaderIsTheWebServersSetUpNotAnOutage() {
        CrmException e = assertThrows(CrmException.class, () -> answer(401,
                "{\"success\":false,\"error\":{\"code\":1412,\"message\":\"Login Required\"}}"));
        assertFalse(e.isUnavailable(), "an answer: the breaker stays closed for lookups");
        assertEquals(PortalApiAnswer.NO_AUTHORIZATION_HEADER, e.code());
        assertTrue(e.getMessage().contains("Authorization header"), e.getMessage());
    }

    @Test
    void aFatalHtmlOrGarbageIsAnUnavailableCrmNeverAWrongPassword() {
        for (String body : new String[] {"", "<html><b>Fatal error</b></html>", "{\"success\":true,\"result\":{\"cust",
                "Notice: Undefined index {\"success\":false,\"error\":{\"code\":1414}}"}) {
            for (int status : new int[] {200, 500, 502}) {
                if (status == 200 && body.isEmpty()) {
                    continue;
                }
                CrmException e = assertThrows(CrmException.class, () -> answer(status, body), status + " " + body);
                assertTrue(e.isUnavailable(), status + " " + body + ": " + e.getMessage());
            }
        }
        CrmException empty = assertThrows(CrmException.class, () -> answer(200, ""));
        assertTrue(empty.isUnavailable());
    }

    @Test
    void anUnknownRefusalIsThrownOn() {
        CrmException e = CrmException.error("1404", "Operation not found: X");
        assertSame(e, assertThrows(CrmException.class, () -> PortalApiAnswer.refused(e)));
    }
}

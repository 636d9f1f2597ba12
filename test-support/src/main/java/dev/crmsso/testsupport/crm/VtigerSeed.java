package dev.crmsso.testsupport.crm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crmsso.testsupport.VtigerServer;

/**
 * The real vtiger's own data beside {@link CrmSeed}: what the tests add in the test run that vtiger does its own way
 * (contacts one {@code create} at a time: vtiger has no {@code MassCreate}; a known portal password, set as vtiger's
 * {@code ContactsHandler} stores one). Every step is idempotent.
 */
public final class VtigerSeed {

    private VtigerSeed() {
    }

    /**
     * Contacts with portal access that do not exist yet (by email), created through the web service as an admin's
     * import would: vtiger's own workflow then gives each a portal row with a random password
     * ({@code modules/Contacts/ContactsHandler.php}; the mail it queues is never sent here).
     */
    public static synchronized void contacts(VtigerServer vtiger, List<Map<String, Object>> contacts) {
        CrmWebService ws = vtiger.webService();
        for (Map<String, Object> c : contacts) {
            String email = (String) c.get("email");
            if (ws.query("SELECT id FROM Contacts WHERE email='" + email.replace("'", "''") + "';").isEmpty()) {
                Map<String, Object> element = new LinkedHashMap<>(c);
                element.putIfAbsent("portal", "1");
                element.putIfAbsent("assigned_user_id", ws.userId());
                ws.create("Contacts", element);
            }
        }
    }

    /**
     * Sets the portal password of the portal row with this user name, as vtiger stores one
     * ({@code Vtiger_Functions::generateEncryptedPassword($pw, 'CRYPT')}: {@code crypt($pw, password_hash($pw,
     * PASSWORD_DEFAULT))}, {@code ../shared/vtiger/README.md}, "How it was made" 4).
     */
    public static void portalPassword(VtigerServer vtiger, String userName, String password) {
        String hash = vtiger.php("<?php\n$pw = base64_decode('" + java.util.Base64.getEncoder().encodeToString(
                password.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "');\n"
                + "echo crypt($pw, password_hash($pw, PASSWORD_DEFAULT));\n").strip();
        vtiger.sql("UPDATE vtiger_portalinfo SET user_password='" + hash + "', cryptmode='CRYPT' WHERE user_name='"
                + userName.replace("'", "''") + "'");
    }
}

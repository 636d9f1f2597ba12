package dev.crmsso.testsupport.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.crmsso.testsupport.CoreBosServer;

/**
 * The real coreBOS's own data beside {@link CrmSeed}: what the tests add in the test run that only coreBOS has or
 * needs (contacts by {@code MassCreate}, a staff user, SAML settings, portal fields, its failed-login counter).
 * Every step is idempotent: the ITs share one CRM per test run and may run in any order.
 */
public final class CoreBosSeed {

    private CoreBosSeed() {
    }

    /**
     * Contacts with portal access that do not exist yet (by email), created in one request per 50 through the
     * web service ({@code MassCreate}). coreBOS sets a new contact's support dates to today and gives it a random
     * portal password (it mails it; no mail server here).
     */
    public static synchronized void contacts(CoreBosServer corebos, List<Map<String, Object>> contacts) {
        CrmWebService ws = corebos.webService();
        List<Map<String, Object>> missing = new ArrayList<>();
        for (Map<String, Object> c : contacts) {
            String email = (String) c.get("email");
            if (ws.query("SELECT id FROM Contacts WHERE email='" + email.replace("'", "''") + "';").isEmpty()) {
                Map<String, Object> element = new java.util.LinkedHashMap<>(c);
                element.putIfAbsent("portal", "1");
                element.putIfAbsent("assigned_user_id", ws.userId());
                missing.add(element);
            }
        }
        for (int from = 0; from < missing.size(); from += 50) {
            ws.massCreate("Contacts", missing.subList(from, Math.min(missing.size(), from + 50)));
        }
    }

    /**
     * A CRM user (staff) with this email, created through the web service as an admin creates one (role Sales
     * Manager, not an admin); its record id. coreBOS's SAML sign-in finds CRM users by this email.
     */
    public static synchronized String staffUser(CoreBosServer corebos, String userName, String first, String last,
            String email) {
        CrmWebService ws = corebos.webService();
        JsonNode found = ws.query("SELECT id FROM Users WHERE user_name='" + userName + "';");
        if (found.size() == 1) {
            return found.get(0).path("id").asText();
        }
        String password = "Pw#" + java.util.UUID.randomUUID();
        Map<String, Object> user = new java.util.LinkedHashMap<>();
        user.put("user_name", userName);
        user.put("first_name", first);
        user.put("last_name", last);
        user.put("email1", email);
        user.put("roleid", "H4");
        user.put("is_admin", "off");
        user.put("status", "Active");
        user.put("user_password", password);
        user.put("confirm_password", password);
        return ws.create("Users", user).path("id").asText();
    }

    /**
     * coreBOS's SAML settings for its web-service entry ({@code include/integrations/saml/saml.php}, kept in
     * {@code cb_settings} as its settings page saves them): web service on, the web UI's SAML off (the web UI does
     * not run on PHP 8.2); this CRM's {@code webservice.php} as entity id, ACS and SLO base (coreBOS appends
     * {@code ?mode=metadata}, {@code ?mode=acs}, {@code ?mode=slo}); NameID format email; the IdP's entity id,
     * SSO/SLO URL and signing certificate; where the answer goes ({@code SAML_RWURL}).
     */
    public static synchronized void saml(CoreBosServer corebos, String idpEntityId, String idpUrl, String idpCertificate,
            String returnUrl) {
        String ws = corebos.url() + "/webservice.php";
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("SAML_ISACTIVE", "0");
        settings.put("SAML_ISACTIVEWS", "1");
        settings.put("SAML_SPEID", ws);
        settings.put("SAML_SPACS", ws);
        settings.put("SAML_SPSLO", ws);
        settings.put("SAML_SPNID", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        settings.put("SAML_IPEID", idpEntityId);
        settings.put("SAML_IPSSO", idpUrl);
        settings.put("SAML_IPSLO", idpUrl);
        settings.put("SAML_IP509", idpCertificate);
        settings.put("SAML_RWURL", returnUrl);
        StringBuilder sql = new StringBuilder();
        settings.forEach((key, value) -> sql.append("INSERT INTO cb_settings (setting_key,setting_value) VALUES ('")
                .append(key).append("','").append(value.replace("\\", "\\\\").replace("'", "''"))
                .append("') ON DUPLICATE KEY UPDATE setting_value=VALUES(setting_value);"));
        corebos.sql(sql.toString());
    }

    /**
     * coreBOS's optional changeset {@code activatePortalFieldsContacts} (its portal fields on Contacts, which its
     * SAML portal entry, {@code mode=LoginPortal}, reads), applied as an admin applies it (unblocked, then
     * {@code modules/cbupdater/doworkcli.php apply}); then every contact's {@code portalloginuser} (the CRM user its
     * sessions run as: {@code portal}) and {@code portalpasswordtype} {@code md5}. Without a type, coreBOS's
     * loginPortal compares the password in plain text (token + password) once the changeset is in: a contact's
     * right password, sent as md5(token + password), is then refused as a wrong one (and counted).
     */
    public static synchronized void portalFields(CoreBosServer corebos) {
        String id = corebos.sqlValue("SELECT cbupdaterid FROM vtiger_cbupdater WHERE classname='activatePortalFieldsContacts'");
        if (!"Executed".equals(corebos.sqlValue("SELECT execstate FROM vtiger_cbupdater WHERE cbupdaterid=" + id))) {
            corebos.sql("UPDATE vtiger_cbupdater SET blocked='0' WHERE cbupdaterid=" + id);
            String out = corebos.php("<?php\n$argv = array('doworkcli.php', 'apply', '" + id + "');\n"
                    + "include 'modules/cbupdater/doworkcli.php';\n");
            if (!"Executed".equals(corebos.sqlValue("SELECT execstate FROM vtiger_cbupdater WHERE cbupdaterid=" + id))) {
                throw new IllegalStateException("activatePortalFieldsContacts not applied:\n" + out);
            }
        }
        String portalUser = corebos.sqlValue("SELECT id FROM vtiger_users WHERE user_name='portal'");
        corebos.sql("UPDATE vtiger_contactdetails SET portalpasswordtype='md5', portalloginuser=" + portalUser
                + " WHERE portalpasswordtype IS NULL OR portalpasswordtype=''");
    }

    /** The one-time codes coreBOS's SAML sign-in has issued and nobody has used yet. */
    public static int openOneTimeCodes(CoreBosServer corebos) {
        return Integer.parseInt(corebos.sqlValue("SELECT count(*) FROM cb_settings WHERE setting_key LIKE 'OTPCODE:%'"));
    }

    /** The CRM's count of failed portal logins of a contact ({@code vtiger_portalinfo.failed_login_attempts}). */
    public static int failures(CoreBosServer corebos, String email) {
        String n = corebos.sqlValue("SELECT failed_login_attempts FROM vtiger_portalinfo WHERE user_name='"
                + email.replace("'", "''") + "'");
        return n == null || n.equals("NULL") ? 0 : Integer.parseInt(n);
    }
}

package dev.crmsso.testsupport.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.crmsso.testsupport.PhpCrmServer;

/**
 * What the seeds of both real CRMs hold ({@code ../shared/corebos/README.md} and {@code ../shared/vtiger/README.md},
 * "Seeded data": the same account and four contacts with the same portal passwords) and what the tests add to
 * either in the test run, through the web service where the CRM offers it (field values) and through the CRM's own
 * PHP (vtlib, which coreBOS and vtiger share) for what only an admin's layout editor does (a custom field). Every
 * step is idempotent: the ITs share one CRM per test run and may run in any order.
 */
public final class CrmSeed {

    /** The last-name prefix of the contacts the contract pages through, and how many: past one page of 100. */
    public static final String PAGER = "Pager";
    public static final int PAGERS = 120;

    /** The seed's account of Alice. */
    public static final String ACME = "Acme Corp";
    /**
     * The multi-select custom field the tests turn into groups, named as coreBOS's layout editor names custom
     * fields ({@code cf_NNN}), and as the stand-in's ({@link SampleCrm#GROUP_FIELD}): one realm setting fits both.
     */
    public static final String GROUP_FIELD = SampleCrm.GROUP_FIELD;

    /** Portal on and active, support around today, account Acme Corp; its groups are set by {@link #groups}. */
    public static final KnownContact ALICE = new KnownContact("alice@example.com", "Alice#Pass1", "Alice", "Smith",
            ACME, Set.of("Sales", "Support"));
    /** A quote in the last name. */
    public static final KnownContact DAN = new KnownContact("dan.obrien@example.com", "Dan#Pass1", "Dan", "O'Brien",
            "", Set.of());
    /** Portal on, support ended: coreBOS's loginPortal answers AUTHENTICATION_REQUIRED, vtiger's portal API 1412. */
    public static final KnownContact CAROL = new KnownContact("carol@example.com", "Carol#Pass1", "Carol", "Jones",
            "", Set.of());
    /**
     * Portal off. coreBOS: its portal row inactive, getchallenge already fails. vtiger: its portal row still active
     * with a valid password (unticking portal does not deactivate it in 8.2), the portal API refuses it for
     * {@code portal=0}.
     */
    public static final KnownContact BOB = new KnownContact("bob@example.com", "Bob#Pass1", "Bob", "Brown", "", Set.of());

    /** The group field (a multi-select, as the layout editor adds it) exists and Alice holds Sales and Support. */
    public static synchronized void groups(PhpCrmServer crm) {
        if (crm.sql("SHOW COLUMNS FROM vtiger_contactscf LIKE '" + GROUP_FIELD + "'").isEmpty()) {
            crm.php("<?php\n"
                    + "// what the layout editor of coreBOS and vtiger does for a new multi-select field of Contacts (vtlib)\n"
                    + "include_once 'vtlib/Vtiger/Module.php';\n"
                    + "global $current_user; $current_user = Users::getActiveAdminUser();\n"
                    + "$module = Vtiger_Module::getInstance('Contacts');\n"
                    + "$block = Vtiger_Block::getInstance('LBL_CONTACT_INFORMATION', $module);\n"
                    + "$field = new Vtiger_Field();\n"
                    + "$field->name = '" + GROUP_FIELD + "'; $field->label = 'Groups';\n"
                    + "$field->table = 'vtiger_contactscf'; $field->column = '" + GROUP_FIELD + "';\n"
                    + "$field->columntype = 'TEXT'; $field->uitype = 33; $field->typeofdata = 'V~O';\n"
                    + "$block->addField($field);\n"
                    + "$field->setPicklistValues(array('Sales', 'Support', 'Management'));\n");
        }
        CrmWebService ws = crm.webService();
        ws.revise(Map.of("id", id(ws, ALICE.email()), GROUP_FIELD, String.join(" |##| ", List.of("Sales", "Support"))));
    }

    /** The record id of the contact with this email (read from the CRM, as a client must). */
    public static String id(CrmWebService ws, String email) {
        return one(ws, email).path("id").asText();
    }

    /** The contact number the CRM gave the contact with this email. */
    public static String contactNo(CrmWebService ws, String email) {
        return one(ws, email).path("contact_no").asText();
    }

    private static JsonNode one(CrmWebService ws, String email) {
        JsonNode rows = ws.query("SELECT id,contact_no FROM Contacts WHERE email='" + email.replace("'", "''") + "';");
        if (rows.size() != 1) {
            throw new IllegalStateException(rows.size() + " contacts with email " + email);
        }
        return rows.get(0);
    }

    private CrmSeed() {
    }

    /**
     * The contacts the contract adds to a real CRM in the test run: one per awkward last name of
     * {@link SampleCrm#AWKWARD_LAST_NAMES} and {@link #PAGERS} to page through.
     */
    public static List<Map<String, Object>> contractContacts() {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (String last : SampleCrm.AWKWARD_LAST_NAMES) {
            contacts.add(contact("Awkward", last, SampleCrm.awkwardEmail(last)));
        }
        for (int i = 1; i <= PAGERS; i++) {
            contacts.add(contact("Page", String.format(PAGER + "%03d", i), String.format("pager%03d@example.com", i)));
        }
        return contacts;
    }

    /** A new contact's fields, as the web service's {@code create} takes them. */
    public static Map<String, Object> contact(String first, String last, String email) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("firstname", first);
        c.put("lastname", last);
        c.put("email", email);
        return c;
    }

    /**
     * Gives the portal row of the contact with {@code ofEmail} the portal user name {@code userName} (neither CRM keeps
     * them unique: a row whose name no longer follows the contact's email, an import); the user name it
     * had before.
     */
    public static String portalUserName(PhpCrmServer crm, String ofEmail, String userName) {
        String id = crm.sqlValue("SELECT contactid FROM vtiger_contactdetails WHERE email='" + ofEmail.replace("'", "''")
                + "'");
        String before = crm.sqlValue("SELECT user_name FROM vtiger_portalinfo WHERE id=" + id);
        crm.sql("UPDATE vtiger_portalinfo SET user_name='" + userName.replace("'", "''") + "' WHERE id=" + id);
        return before;
    }
}

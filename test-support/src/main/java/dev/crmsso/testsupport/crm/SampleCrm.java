package dev.crmsso.testsupport.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stand-in's data: a few named contacts the tests talk about, 260 generated "Customer"
 * contacts (250 of them with portal access) spread over five accounts, then a contact whose support
 * ended and three whose last names carry a LIKE wildcard or a backslash (the real coreBOS's tests create
 * the same three in the test run). Ids look like a default install's: Contacts {@code 12x}, Accounts {@code 11x}.
 */
public final class SampleCrm {

    public static final String API_USER = "admin";
    public static final String ACCESS_KEY = "Ab3dEfGh1JkLmN0p";
    /** The multi-select custom field whose values the tests turn into groups. */
    public static final String GROUP_FIELD = "cf_901";

    public static final String ALICE_EMAIL = "alice@example.com";
    public static final String ALICE_PASSWORD = "alice-portal-pw";
    public static final String BOB_EMAIL = "bob@example.com";
    public static final String BOB_PASSWORD = "bob-portal-pw";
    public static final String CAROL_EMAIL = "carol@example.com";
    public static final String CAROL_PASSWORD = "carol-portal-pw";
    /** Matching "Customer" contacts with portal access. */
    public static final int PORTAL_CUSTOMERS = 250;
    /** Portal on, but its support ended in 2021: the CRM refuses its portal login. */
    public static final String ERIN_EMAIL = "erin@example.com";
    public static final String ERIN_PASSWORD = "erin-portal-pw";
    /** Last names a search box must find literally: a LIKE wildcard ({@code %}, {@code _}) and a backslash. */
    public static final List<String> AWKWARD_LAST_NAMES = List.of("Per%cent", "Under_score", "Back\\slash");

    public static final KnownContact ALICE = new KnownContact(ALICE_EMAIL, ALICE_PASSWORD, "Alice", "Martin",
            "Acme Corp", java.util.Set.of("Sales", "Support"));
    public static final KnownContact CAROL = new KnownContact(CAROL_EMAIL, CAROL_PASSWORD, "Carol", "O'Brien",
            "Initech", java.util.Set.of("Management"));
    public static final KnownContact BOB = new KnownContact(BOB_EMAIL, BOB_PASSWORD, "Bob", "Stone", "Globex",
            java.util.Set.of());
    public static final KnownContact ERIN = new KnownContact(ERIN_EMAIL, ERIN_PASSWORD, "Erin", "Ended", "Acme Corp",
            java.util.Set.of());

    public static final List<String> ACCOUNTS = List.of("Acme Corp", "Globex", "Initech", "Umbrella", "Hooli");

    final List<Map<String, String>> accounts = new ArrayList<>();
    final List<Map<String, String>> contacts = new ArrayList<>();
    /** Portal passwords by contact email. */
    final Map<String, String> portalPasswords = new LinkedHashMap<>();

    SampleCrm() {
        for (int i = 0; i < ACCOUNTS.size(); i++) {
            Map<String, String> account = new LinkedHashMap<>();
            account.put("id", "11x" + (100 + i));
            account.put("accountname", ACCOUNTS.get(i));
            accounts.add(account);
        }
        int crmId = 8000;
        contact(++crmId, "Alice", "Martin", ALICE_EMAIL, "1", 0, "Sales |##| Support", ALICE_PASSWORD);
        contact(++crmId, "Bob", "Stone", BOB_EMAIL, "0", 1, "", BOB_PASSWORD);
        contact(++crmId, "Carol", "O'Brien", CAROL_EMAIL, "1", 2, "Management", CAROL_PASSWORD);
        for (int i = 1; i <= 260; i++) {
            String portal = i % 26 == 0 ? "0" : "1";
            contact(++crmId, "Given" + i, String.format("Customer%03d", i), String.format("customer%03d@example.com", i),
                    portal, i % ACCOUNTS.size(), i % 2 == 0 ? "Sales" : "", "customer-pw-" + i);
        }
        contact(++crmId, "Erin", "Ended", ERIN_EMAIL, "1", 0, "", ERIN_PASSWORD);
        contacts.get(contacts.size() - 1).put("support_end_date", "2021-12-31");
        for (String last : AWKWARD_LAST_NAMES) {
            contact(++crmId, "Awkward", last, awkwardEmail(last), "1", 0, "", "awkward-pw");
        }
    }

    /** The email of the contact with one of {@link #AWKWARD_LAST_NAMES} (letters only, so it matches none of them). */
    public static String awkwardEmail(String lastName) {
        return lastName.replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT) + "@example.com";
    }

    /** The contact number the CRM gave a contact (the stand-in's: CON + its record number). */
    public String contactNo(String email) {
        return field(email, "contact_no");
    }

    /** The contact's web-service id ({@code 12x} + its record number). */
    public String contactId(String email) {
        return field(email, "id");
    }

    private String field(String email, String name) {
        return contacts.stream().filter(c -> c.get("email").equalsIgnoreCase(email)).findFirst().orElseThrow().get(name);
    }

    /** When the CRM created a sample contact, as its web service writes it: a minute apart each, in January 2020. */
    public static String createdTime(int crmId) {
        return java.time.LocalDateTime.of(2020, 1, 1, 9, 30).plusMinutes(crmId)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    private void contact(int crmId, String first, String last, String email, String portal, int account,
                         String groups, String password) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("id", "12x" + crmId);
        c.put("contact_no", "CON" + crmId);
        c.put("firstname", first);
        c.put("lastname", last);
        c.put("email", email);
        c.put("phone", "+34 91 555 " + crmId);
        c.put("mobile", "+34 600 " + crmId);
        c.put("account_id", accounts.get(account).get("id"));
        c.put("portal", portal);
        c.put("support_start_date", "2020-01-01");
        c.put("support_end_date", "2099-12-31");
        c.put("title", "Buyer");
        c.put(GROUP_FIELD, groups);
        c.put("imagenamefullpath", "");
        c.put("createdtime", createdTime(crmId));
        contacts.add(c);
        portalPasswords.put(email, password);
    }
}

package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.*;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.keycloak.models.UserModel;
import org.keycloak.storage.StorageId;

/**
 * One CRM contact as Keycloak sees it: its username, the attributes the issue lists and when the CRM
 * created it, built once from the query row (every CRM value is a string) and its account's name.
 *
 * @param created the CRM's {@code createdtime} in epoch milliseconds, null when the CRM gave none
 */
public record CrmContact(String crmId, String username, boolean portal, Map<String, List<String>> attributes,
                         Long created) {

    /** vtiger joins the values of a multi-select field with this. */
    public static final String MULTI_SELECT_SEPARATOR = " |##| ";

    /** The contact fields every lookup reads; the configured extra and group fields are added. */
    public static final List<String> BASE_FIELDS = List.of(
            "id", "firstname", "lastname", "email", "phone", "mobile", "account_id", "contact_no", "portal", "createdtime");

    /**
     * How the CRM's web service writes a date and time ({@code createdtime}): vtiger and coreBOS keep it in the
     * database as the server's time, which vtiger's installer sets to UTC ({@code $default_timezone}).
     */
    private static final DateTimeFormatter CRM_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public static List<String> fieldsFor(CrmConfig config) {
        Set<String> fields = new LinkedHashSet<>(BASE_FIELDS);
        fields.addAll(config.extraFields());
        if (config.groupField() != null) {
            fields.add(config.groupField());
        }
        return List.copyOf(fields);
    }

    public static CrmContact of(Map<String, String> row, String accountName, CrmConfig config) {
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        String username = row.getOrDefault(config.usernameField(), "").toLowerCase(Locale.ROOT);
        boolean portal = "1".equals(row.get("portal"));
        put(attrs, UserModel.USERNAME, username);
        put(attrs, UserModel.FIRST_NAME, row.get("firstname"));
        put(attrs, UserModel.LAST_NAME, row.get("lastname"));
        put(attrs, UserModel.EMAIL, row.get("email"));
        put(attrs, ATTR_PHONE, row.get("phone"));
        put(attrs, ATTR_MOBILE, row.get("mobile"));
        put(attrs, ATTR_ACCOUNT, accountName);
        put(attrs, ATTR_ACCOUNT_ID, row.get("account_id"));
        put(attrs, ATTR_CONTACT_NO, row.get("contact_no"));
        for (String field : config.extraFields()) {
            put(attrs, field, row.get(field));
        }
        // the account travels in crm_account, the group field in sso_groups: the group sync keeps the two kinds
        // apart (an account and a group value of one name are two groups)
        if (config.groupField() != null) {
            List<String> groups = multiSelect(row.get(config.groupField()));
            if (!groups.isEmpty()) {
                attrs.put(ATTR_GROUPS, List.copyOf(new LinkedHashSet<>(groups)));
            }
        }
        return new CrmContact(row.get("id"), username, portal, Map.copyOf(attrs), epochMillis(row.get("createdtime")));
    }

    /** The CRM's date and time as epoch milliseconds (UTC); null when absent or not in the CRM's format. */
    static Long epochMillis(String crmDateTime) {
        if (crmDateTime == null || crmDateTime.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(crmDateTime.trim(), CRM_DATE_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The contact a cached user was built from: Keycloak's user cache keeps this contact's
     * attributes, so a lookup in the request that just checked its password needs no CRM call.
     */
    public static CrmContact of(UserModel cached) {
        return new CrmContact(StorageId.externalId(cached.getId()), cached.getUsername(), cached.isEmailVerified(),
                Map.copyOf(cached.getAttributes()), cached.getCreatedTimestamp());
    }

    /** The values of a vtiger multi-select field ({@code a |##| b}), or the one value of a plain field. */
    public static List<String> multiSelect(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String part : value.split(java.util.regex.Pattern.quote(MULTI_SELECT_SEPARATOR.trim()))) {
            if (!part.isBlank()) {
                values.add(part.trim());
            }
        }
        return values;
    }

    public String first(String attribute) {
        List<String> values = attributes.get(attribute);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void put(Map<String, List<String>> attrs, String name, String value) {
        if (value != null && !value.isBlank()) {
            attrs.put(name, List.of(value));
        }
    }
}

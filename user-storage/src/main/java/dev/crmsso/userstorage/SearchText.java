package dev.crmsso.userstorage;

import java.util.List;
import java.util.Map;

import org.keycloak.models.UserModel;

/**
 * What the admin console searches for: its search box (any of first name, last name, email
 * contains the text) or one field. Keycloak's {@code *} wildcards are dropped (a LIKE
 * {@code %text%} is already a wildcard search); a text with {@code %} finds nobody, as VTQL
 * cannot escape a LIKE wildcard once backslashes are neutralised.
 */
record SearchText(List<String> fields, String text) {

    private static final List<String> SEARCH_BOX_FIELDS = List.of("firstname", "lastname", "email");

    static SearchText of(Map<String, String> params) {
        if (params.containsKey(UserModel.SEARCH)) {
            return new SearchText(SEARCH_BOX_FIELDS, clean(params.get(UserModel.SEARCH)));
        }
        for (Map.Entry<String, String> field : Map.of(UserModel.EMAIL, "email", UserModel.FIRST_NAME, "firstname",
                UserModel.LAST_NAME, "lastname").entrySet()) {
            if (params.containsKey(field.getKey())) {
                return new SearchText(List.of(field.getValue()), clean(params.get(field.getKey())));
            }
        }
        return new SearchText(SEARCH_BOX_FIELDS, "");
    }

    private static String clean(String value) {
        return value == null ? "" : value.replace("*", "").replace("\"", "").trim();
    }

    /** Everyone: no text to match. */
    boolean isAll() {
        return text.isEmpty();
    }

    boolean matchesNobody() {
        return !isAll() && (text.indexOf('%') >= 0 || !Vtql.isWritable(text));
    }

    Vtql apply(Vtql query) {
        return isAll() ? query : query.whereAnyContains(fields, text);
    }
}

package dev.crmsso.userstorage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.UserModel;

/**
 * What the admin console (or the admin REST API) searches for: the search box (any of first
 * name, last name, email contains the text) and single fields (username, email, first or last
 * name), exact when asked. Keycloak's {@code *} wildcards are dropped (a LIKE {@code %text%}
 * already is a wildcard search); every other character is searched for as itself ({@code %},
 * {@code _}, {@code \}, {@code '}; {@link Vtql#containsLiteral}), as Keycloak's own user search
 * does (26.7.3: {@code Unde_} finds no {@code Under_score}).
 */
record SearchText(List<SearchText.Criterion> criteria) {

    private static final List<String> SEARCH_BOX_FIELDS = List.of("firstname", "lastname", "email");

    /** One or more CRM fields (any of them) holding, or equal to, a text. */
    record Criterion(List<String> fields, String text, boolean exact) {
    }

    static SearchText of(Map<String, String> params, String usernameField) {
        boolean exact = Boolean.parseBoolean(params.get(UserModel.EXACT));
        Map<String, String> singleFields = new LinkedHashMap<>();
        singleFields.put(UserModel.USERNAME, usernameField);
        singleFields.put(UserModel.EMAIL, "email");
        singleFields.put(UserModel.FIRST_NAME, "firstname");
        singleFields.put(UserModel.LAST_NAME, "lastname");
        List<Criterion> criteria = new ArrayList<>();
        String box = clean(params.get(UserModel.SEARCH));
        if (!box.isEmpty()) {
            criteria.add(new Criterion(SEARCH_BOX_FIELDS, box, false));
        }
        singleFields.forEach((param, field) -> {
            String text = clean(params.get(param));
            if (!text.isEmpty()) {
                criteria.add(new Criterion(List.of(field), text, exact));
            }
        });
        return new SearchText(criteria);
    }

    private static String clean(String value) {
        return value == null ? "" : value.replace("*", "").replace("\"", "").trim();
    }

    boolean matchesNobody() {
        return criteria.stream().anyMatch(c -> !Vtql.isWritable(c.text()));
    }

    Vtql apply(Vtql query) {
        for (Criterion c : criteria) {
            if (c.exact()) {
                query.whereEquals(c.fields().get(0), c.text());
            } else {
                query.whereAnyContains(c.fields(), c.text());
            }
        }
        return query;
    }
}

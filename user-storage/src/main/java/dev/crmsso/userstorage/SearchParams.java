package dev.crmsso.userstorage;

import java.util.Map;
import java.util.Set;

import org.keycloak.models.UserModel;

/**
 * Whether an admin search is one this federation can answer exactly. Keycloak passes every criterion
 * of {@code GET /admin/realms/{realm}/users} in one map; a criterion the CRM query cannot express
 * must not be dropped (a bulk script acting on "?enabled=false" would act on every contact): the
 * answer is then nobody. What it answers: the search box, username, email, first and last name
 * (exact or not), {@code enabled} and {@code emailVerified} as far as every contact has the same value.
 */
final class SearchParams {

    /** Criteria {@link SearchText} turns into the query. */
    private static final Set<String> QUERIED = Set.of(UserModel.SEARCH, UserModel.USERNAME, UserModel.EMAIL,
            UserModel.FIRST_NAME, UserModel.LAST_NAME, UserModel.EXACT, UserModel.INCLUDE_SERVICE_ACCOUNT);
    /** The fields an exact search compares literally: Keycloak's wildcard and quote are not stripped there. */
    private static final Set<String> EXACT_FIELDS = Set.of(UserModel.USERNAME, UserModel.EMAIL,
            UserModel.FIRST_NAME, UserModel.LAST_NAME);

    private SearchParams() {
    }

    /**
     * @param portalOnly whether every contact of the federation has portal access (so a verified email)
     * @return true when no contact can be an exact answer, or the federation cannot tell which are
     */
    static boolean answersNobody(Map<String, String> params, boolean portalOnly) {
        boolean exact = Boolean.parseBoolean(params.get(UserModel.EXACT));
        for (Map.Entry<String, String> p : params.entrySet()) {
            String name = p.getKey();
            String value = p.getValue() == null ? "" : p.getValue().trim();
            if (QUERIED.contains(name)) {
                if (exact && EXACT_FIELDS.contains(name) && (value.contains("*") || value.contains("\""))) {
                    // no CRM username, email or name holds them literally as Keycloak asks
                    return true;
                }
                continue;
            }
            switch (name) {
                case UserModel.ENABLED:
                    // every contact is enabled
                    if (!Boolean.parseBoolean(value)) {
                        return true;
                    }
                    break;
                case UserModel.EMAIL_VERIFIED:
                    // a contact's email is verified when it has portal access: all of them only with portalOnly
                    if (!portalOnly || !Boolean.parseBoolean(value)) {
                        return true;
                    }
                    break;
                default:
                    // an identity provider link, a group restriction, creation dates, q=attribute:value:
                    // not in the CRM query, so not answered at all rather than ignored
                    return true;
            }
        }
        return false;
    }
}

package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.*;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.keycloak.component.ComponentModel;

/**
 * One federation's settings, read from its component model. The access key is already
 * resolved (a {@code ${vault.NAME}} reference is looked up by the factory).
 */
public record CrmConfig(URI baseUrl, String apiUser, String accessKey, Flavour flavour, String usernameField,
                        boolean portalOnly, List<String> extraFields, String groupField,
                        Duration connectTimeout, Duration readTimeout) {

    public static final String USERNAME_EMAIL = "email";
    public static final String USERNAME_CONTACT_NO = "contact_no";

    public CrmConfig {
        if (!USERNAME_EMAIL.equals(usernameField) && !USERNAME_CONTACT_NO.equals(usernameField)) {
            throw new IllegalArgumentException("Username field must be email or contact_no");
        }
        extraFields.forEach(Vtql::identifier);
        if (groupField != null) {
            Vtql.identifier(groupField);
        }
    }

    public static CrmConfig from(ComponentModel model, String resolvedAccessKey) {
        String url = required(model, CONFIG_BASE_URL);
        return new CrmConfig(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                required(model, CONFIG_API_USER), resolvedAccessKey,
                Flavour.of(model.get(CONFIG_FLAVOUR, FLAVOUR_COREBOS)),
                model.get(CONFIG_USERNAME_FIELD, USERNAME_EMAIL),
                model.get(CONFIG_PORTAL_ONLY, true),
                list(model.get(CONFIG_EXTRA_FIELDS)),
                blankToNull(model.get(CONFIG_GROUP_FIELD)),
                Duration.ofMillis(model.get(CONFIG_CONNECT_TIMEOUT, 3000)),
                Duration.ofMillis(model.get(CONFIG_READ_TIMEOUT, 5000)));
    }

    /** {@code webservice.php}, the CRM's one endpoint. */
    public URI endpoint() {
        return URI.create(baseUrl + "/webservice.php");
    }

    /**
     * vtiger's customer-portal API (7.1 and later), beside {@code webservice.php}: {@code api.php} of the
     * CustomerPortal module ({@code ../shared/vtiger-portal-api.md}).
     */
    public URI portalApi() {
        return URI.create(baseUrl + "/modules/CustomerPortal/api.php");
    }

    /** Never print the access key. */
    @Override
    public String toString() {
        return "CrmConfig[" + baseUrl + ", apiUser=" + apiUser + ", " + flavour + "]";
    }

    private static String required(ComponentModel model, String key) {
        String value = blankToNull(model.get(key));
        if (value == null) {
            throw new IllegalArgumentException("Missing setting " + key);
        }
        return value.trim();
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

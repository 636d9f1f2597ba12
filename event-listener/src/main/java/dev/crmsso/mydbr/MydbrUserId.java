package dev.crmsso.mydbr;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

import org.keycloak.models.UserModel;

/**
 * The fixed-form {@code user} of {@value MydbrConstants#ATTR_USER_VALUE}={@value MydbrConstants#USER_VALUE_ID}: a
 * UUID of 36 characters. All such values have one length, so no value is a prefix of another and a re-split
 * {@code user} (shorter or longer) is never somebody. A local user's id is already a UUID and is sent as it is; a
 * federated user's id ({@code f:<component>:<external id>}) is turned into a name-based UUID of itself, stable as long
 * as the id is.
 */
final class MydbrUserId {

    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private MydbrUserId() {
    }

    static String of(UserModel user) {
        String id = user.getId();
        return isOfForm(id) ? id : UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static boolean isOfForm(String value) {
        return FORM.matcher(value).matches();
    }
}

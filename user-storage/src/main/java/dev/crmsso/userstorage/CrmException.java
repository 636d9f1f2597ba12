package dev.crmsso.userstorage;

import java.util.Set;

/**
 * The CRM could not answer ({@link #isUnavailable()}: down, slow, HTML, broken JSON) or
 * answered {@code success:false} with an error code. Messages never carry a key, a session
 * id or a password.
 */
public class CrmException extends RuntimeException {

    /** The codes with which a CRM says the API session is gone (renew once and retry). */
    private static final Set<String> SESSION_GONE = Set.of(
            "AUTHENTICATION_REQUIRED", "INVALID_SESSIONID", "SESSION_EXPIRED", "SESSION_LEFT_IDLE");

    private final String code;

    private CrmException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static CrmException unavailable(String why, Throwable cause) {
        return new CrmException(null, why, cause);
    }

    public static CrmException error(String code, String message) {
        return new CrmException(code, message, null);
    }

    /** The CRM's error code, {@code null} when it gave no usable answer at all. */
    public String code() {
        return code;
    }

    public boolean isUnavailable() {
        return code == null;
    }

    public boolean isSessionGone() {
        return code != null && SESSION_GONE.contains(code);
    }

    @Override
    public String getMessage() {
        return code == null ? super.getMessage() : code + ": " + super.getMessage();
    }
}

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
    private final boolean reached;
    private final boolean breakerOpen;

    private CrmException(String code, String message, Throwable cause, boolean reached) {
        this(code, message, cause, reached, false);
    }

    private CrmException(String code, String message, Throwable cause, boolean reached, boolean breakerOpen) {
        super(message, cause);
        this.code = code;
        this.reached = reached;
        this.breakerOpen = breakerOpen;
    }

    /** Not sent: the federation's breaker is open after the CRM failed to answer several times in a row. */
    public static CrmException breakerOpen(long seconds) {
        return new CrmException(null, "CRM not asked: it failed to answer several times in a row (breaker open for "
                + seconds + " s)", null, false, true);
    }

    /** Whether the CRM was not asked because the breaker is open (the failure was logged when it opened). */
    public boolean isBreakerOpen() {
        return breakerOpen;
    }

    public static CrmException unavailable(String why, Throwable cause) {
        return new CrmException(null, why, cause, true);
    }

    /** The request never reached the CRM (no connection): the CRM did nothing with it. */
    public static CrmException notReached(String why) {
        return new CrmException(null, why, null, false);
    }

    public static CrmException error(String code, String message) {
        return new CrmException(code, message, null, true);
    }

    /**
     * Whether the CRM may have acted on the request: false only when no connection was made.
     * A timeout or a garbled answer may follow a request the CRM carried out (and a portal
     * login it counted).
     */
    public boolean mayHaveReachedCrm() {
        return reached;
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

package dev.crmsso.userstorage;

/** How the CRM answered a contact's portal login. */
public enum PortalLoginResult {
    SUCCESS,
    /**
     * {@code INVALID_USER_CREDENTIALS}: the password is wrong (the CRM counts it); also
     * {@code INVALID_AUTH_TOKEN}, which coreBOS counts the same way.
     */
    WRONG_PASSWORD,
    /** {@code AUTHENTICATION_REQUIRED}: no portal access, support expired, inactive or unknown. */
    NO_PORTAL_ACCESS,
    /**
     * {@code AUTHENTICATION_FAILURE}: the right password, but more than 5 failures behind it
     * (coreBOS's {@code Application_MaxFailedLoginAttempts}): locked until a CRM admin resets it.
     */
    LOCKED
}

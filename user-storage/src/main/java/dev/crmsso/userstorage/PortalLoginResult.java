package dev.crmsso.userstorage;

/** How the CRM answered a contact's portal login. */
public enum PortalLoginResult {
    SUCCESS,
    /** {@code INVALID_USER_CREDENTIALS}: the password is wrong (the CRM counts it). */
    WRONG_PASSWORD,
    /** {@code AUTHENTICATION_REQUIRED}: no portal access, support expired, inactive or unknown. */
    NO_PORTAL_ACCESS,
    /** {@code AUTHENTICATION_FAILURE}: 5 failures, locked until a CRM admin resets it. */
    LOCKED
}

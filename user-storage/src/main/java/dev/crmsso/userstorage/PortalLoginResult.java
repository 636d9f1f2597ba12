package dev.crmsso.userstorage;

/** How the CRM answered a contact's portal login. */
public enum PortalLoginResult {
    SUCCESS,
    /**
     * {@code INVALID_USER_CREDENTIALS}: the password is wrong (the CRM counts it); also
     * {@code INVALID_AUTH_TOKEN}, which coreBOS counts the same way.
     */
    WRONG_PASSWORD,
    /**
     * {@code AUTHENTICATION_REQUIRED} (coreBOS) or 1412 (vtiger): no portal access, support expired, inactive or
     * unknown.
     */
    NO_PORTAL_ACCESS,
    /**
     * {@code AUTHENTICATION_FAILURE}: the right password, but more than 5 failures behind it
     * (coreBOS's {@code Application_MaxFailedLoginAttempts}): locked until a CRM admin resets it.
     */
    LOCKED,
    /**
     * vtiger's portal API accepted the password, for another contact than the one looked up: portal user names
     * are not unique there, and the first row whose password matches wins. Refused as a wrong password.
     */
    OTHER_CONTACT
}

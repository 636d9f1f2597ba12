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
     * The CRM accepted the password for another contact than the one looked up: both CRMs find the contact by its
     * portal row's user name, which neither keeps equal to the contact's email nor unique (vtiger's portal API takes
     * the first row whose password matches, coreBOS's loginPortal the one row of that name). Refused as a wrong
     * password.
     */
    OTHER_CONTACT;

    /**
     * A success for the contact whose portal row the CRM matched ({@code result.customer_details.id} of vtiger's
     * FetchProfile, {@code result.user.contactid} of coreBOS's loginPortal): only the contact that was looked up is a
     * success.
     */
    static PortalLoginResult successFor(String matchedContactId, String lookedUpContactId) {
        return matchedContactId != null && !matchedContactId.isEmpty() && matchedContactId.equals(lookedUpContactId)
                ? SUCCESS : OTHER_CONTACT;
    }
}

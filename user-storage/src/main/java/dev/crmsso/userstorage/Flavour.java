package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.*;

/**
 * Which CRM speaks the web service, and so how a contact's portal password is checked:
 * <ul>
 * <li>{@link #COREBOS}: {@code loginPortal} on {@code webservice.php}, which counts failures and locks a contact for
 *     good after more than 5 ({@code ../shared/crm-webservice.md});</li>
 * <li>{@link #VTIGER}: vtiger 7.1 and later (8.x), whose {@code webservice.php} has no call that checks a contact's
 *     password but whose customer-portal API ({@code modules/CustomerPortal/api.php}, shipped since 7.1.0) checks it
 *     on every call, with no session, no failure counter and no lock ({@code ../shared/vtiger-portal-api.md});</li>
 * <li>{@link #VTIGER_LOOKUP_ONLY}: any vtiger, 7.0 included (no portal API): contacts are found and listed, a
 *     password login is refused. The old setting {@value CrmContactsConstants#FLAVOUR_VTIGER7} meant this and still
 *     does: a federation saved with it sends no contact's password anywhere after an upgrade.</li>
 * </ul>
 */
public enum Flavour {
    COREBOS(FLAVOUR_COREBOS, PasswordCheck.LOGIN_PORTAL, false),
    VTIGER(FLAVOUR_VTIGER, PasswordCheck.PORTAL_API, true),
    VTIGER_LOOKUP_ONLY(FLAVOUR_VTIGER_LOOKUP_ONLY, PasswordCheck.NONE, true);

    /** How a contact's password is checked. */
    public enum PasswordCheck {
        /** coreBOS's {@code getchallenge} + {@code loginPortal}: counted by the CRM, which locks. */
        LOGIN_PORTAL,
        /** vtiger's customer-portal API, {@code FetchProfile}: nothing counted, nothing locked. */
        PORTAL_API,
        /** Not at all: password logins are refused. */
        NONE
    }

    private final String configValue;
    private final PasswordCheck passwordCheck;
    private final boolean getParametersInUrl;

    Flavour(String configValue, PasswordCheck passwordCheck, boolean getParametersInUrl) {
        this.configValue = configValue;
        this.passwordCheck = passwordCheck;
        this.getParametersInUrl = getParametersInUrl;
    }

    public String configValue() {
        return configValue;
    }

    public PasswordCheck passwordCheck() {
        return passwordCheck;
    }

    /**
     * Whether the CRM counts a contact's failed portal logins and locks it (coreBOS): then the federation counts
     * the wrong passwords it sends and pauses before the CRM's lock ({@link PortalFailures}).
     */
    public boolean crmLocksContacts() {
        return passwordCheck == PasswordCheck.LOGIN_PORTAL;
    }

    /**
     * vtiger reads the parameters of an operation registered as GET ({@code getchallenge}, {@code query},
     * {@code retrieve}) from {@code $_GET} only ({@code include/Webservices/OperationManager.php},
     * {@code getOperationInput}), and {@code sessionName} from {@code $_REQUEST} ({@code webservice.php}); coreBOS
     * reads everything from the request as a whole. Run on the real vtiger 8.2: a POST with {@code query} in the
     * body answers ACCESS_DENIED "Permission to perform the operation is denied for query", the same POST with
     * {@code operation} and {@code query} in the URL and {@code sessionName} in the body answers the rows.
     */
    public boolean getParametersInUrl() {
        return getParametersInUrl;
    }

    public static Flavour of(String configValue) {
        if (FLAVOUR_VTIGER7.equals(configValue)) {
            return VTIGER_LOOKUP_ONLY;
        }
        for (Flavour f : values()) {
            if (f.configValue.equals(configValue)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown CRM flavour: " + configValue);
    }
}

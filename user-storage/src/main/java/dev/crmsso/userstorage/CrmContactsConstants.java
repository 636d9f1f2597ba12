package dev.crmsso.userstorage;

/** The provider id, its config keys and the user attributes it publishes, in one place. */
public final class CrmContactsConstants {

    public static final String PROVIDER_ID = "crm-contacts";

    public static final String CONFIG_BASE_URL = "crmUrl";
    public static final String CONFIG_API_USER = "apiUser";
    public static final String CONFIG_ACCESS_KEY = "accessKey";
    public static final String CONFIG_FLAVOUR = "flavour";
    public static final String CONFIG_USERNAME_FIELD = "usernameField";
    public static final String CONFIG_PORTAL_ONLY = "portalOnly";
    public static final String CONFIG_EXTRA_FIELDS = "extraFields";
    public static final String CONFIG_GROUP_FIELD = "groupField";
    public static final String CONFIG_CONNECT_TIMEOUT = "connectTimeoutMillis";
    public static final String CONFIG_READ_TIMEOUT = "readTimeoutMillis";
    public static final String CONFIG_PORTAL_FAILURE_LIMIT = "portalFailureLimit";
    public static final String CONFIG_BREAKER_OPEN_SECONDS = "breakerOpenSeconds";
    public static final String CONFIG_ALLOW_PLAIN_HTTP = "allowPlainHttp";

    public static final String FLAVOUR_COREBOS = "corebos";
    /** vtiger 7.1+ and 8.x: contacts' passwords checked by the customer-portal API. */
    public static final String FLAVOUR_VTIGER = "vtiger";
    /** Any vtiger, 7.0 included: contacts found and listed, no password login. */
    public static final String FLAVOUR_VTIGER_LOOKUP_ONLY = "vtiger-lookup-only";
    /** The setting's value before vtiger's portal API was used: read as {@link #FLAVOUR_VTIGER_LOOKUP_ONLY}. */
    public static final String FLAVOUR_VTIGER7 = "vtiger7";

    public static final String ATTR_PHONE = "phone";
    public static final String ATTR_MOBILE = "mobile";
    public static final String ATTR_ACCOUNT = "crm_account";
    public static final String ATTR_ACCOUNT_ID = "crm_account_id";
    public static final String ATTR_CONTACT_NO = "contact_no";
    public static final String ATTR_GROUPS = "sso_groups";

    /** What a read-only contact answers to an update in the admin console. */
    public static final String READ_ONLY_MESSAGE = "This user is managed by the CRM: change the contact in the CRM";

    private CrmContactsConstants() {
    }
}

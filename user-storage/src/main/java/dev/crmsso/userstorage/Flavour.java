package dev.crmsso.userstorage;

/** Which CRM speaks the web service: only coreBOS can check a contact's portal password. */
public enum Flavour {
    COREBOS(CrmContactsConstants.FLAVOUR_COREBOS, true),
    VTIGER7(CrmContactsConstants.FLAVOUR_VTIGER7, false);

    private final String configValue;
    private final boolean portalLogin;

    Flavour(String configValue, boolean portalLogin) {
        this.configValue = configValue;
        this.portalLogin = portalLogin;
    }

    /** vtiger 7 has no {@code loginPortal}: its contacts cannot log in with a password. */
    public boolean hasPortalLogin() {
        return portalLogin;
    }

    public static Flavour of(String configValue) {
        for (Flavour f : values()) {
            if (f.configValue.equals(configValue)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown CRM flavour: " + configValue);
    }
}

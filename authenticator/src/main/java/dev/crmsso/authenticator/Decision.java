package dev.crmsso.authenticator;

/**
 * The answer of {@link DomainPolicy}: allowed or not, what it was decided on (the domain for
 * Google and other IdPs, the tenant for Microsoft: for the event and the group rules), a short
 * code for the event's {@code reason} detail, and why, for the admin's log line.
 */
record Decision(boolean allowed, String domain, String tenant, String code, String reason) {

    /** Codes of the event detail {@code reason}. */
    static final String GUEST = "guest";

    static Decision allowDomain(String domain, String reason) {
        return new Decision(true, domain, "", "allowed", reason);
    }

    static Decision allowTenant(String tenant, String reason) {
        return new Decision(true, "", tenant, "allowed", reason);
    }

    static Decision refuse(String domain, String code, String reason) {
        return new Decision(false, domain == null ? "" : domain, "", code, reason);
    }

    static Decision refuseTenant(String tenant, String code, String reason) {
        return new Decision(false, "", tenant == null ? "" : tenant, code, reason);
    }

    boolean guest() {
        return GUEST.equals(code);
    }

    /** What the group rules look up: the domain, else the tenant. */
    String groupKey() {
        return domain.isEmpty() ? tenant : domain;
    }
}

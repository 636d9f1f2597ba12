package dev.crmsso.authenticator;

/**
 * The answer of {@link DomainPolicy}: allowed or not, the domain it was decided on (for the event
 * and the group rules), and why, for the admin's log line.
 */
record Decision(boolean allowed, String domain, String reason) {

    static Decision allow(String domain, String reason) {
        return new Decision(true, domain, reason);
    }

    static Decision refuse(String domain, String reason) {
        return new Decision(false, domain == null ? "" : domain, reason);
    }
}

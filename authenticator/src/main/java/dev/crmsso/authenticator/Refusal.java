package dev.crmsso.authenticator;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;

import jakarta.ws.rs.core.Response;

/**
 * A refused login, the same wherever it is refused (the guard mapper at the IdP's callback, the
 * step in a flow): an event in Keycloak's event log, one escaped line in the server log, and the
 * themed page that names the account.
 */
final class Refusal {

    static final String ERROR_DOMAIN_NOT_ALLOWED = "domain_not_allowed";
    static final String ERROR_NO_ACCOUNT = "account_creation_disabled";
    static final String DETAIL_DOMAIN = "domain";
    static final String DETAIL_TENANT = "tenant";
    static final String DETAIL_REASON = "reason";
    static final String TEMPLATE = "crm-sso-domain-refused.ftl";

    private static final Logger LOG = Logger.getLogger(Refusal.class);

    private Refusal() {
    }

    /** Sends the error event and writes the log line. */
    static void record(EventBuilder event, String realm, String alias, BrokeredClaims claims, Decision decision,
            String error) {
        event.detail(Details.IDENTITY_PROVIDER, alias).detail(DETAIL_DOMAIN, decision.domain())
                .detail(DETAIL_REASON, decision.code());
        if (!decision.tenant().isEmpty()) {
            event.detail(DETAIL_TENANT, decision.tenant());
        }
        event.error(error);
        LOG.warnf("Refused %s login of %s in realm %s (%s, %s): %s", LogText.of(alias), LogText.of(claims.account()),
                LogText.of(realm), error, decision.code(), LogText.of(decision.reason()));
    }

    /**
     * The page. The account is a template attribute the page escapes and prints itself, never a parameter of
     * {@code msg()}: Keycloak expands {@code ${key}} in message parameters, so an email {@code ${anyKey}} would
     * render another message in its place.
     */
    static Response page(LoginFormsProvider form, BrokeredClaims claims, Decision decision, String error,
            List<String> allowedDomains) {
        boolean noAccount = ERROR_NO_ACCOUNT.equals(error);
        return form.setStatus(Response.Status.FORBIDDEN)
                .setAttribute("crmSsoTitle", noAccount ? "crmSsoNoAccountTitle" : "crmSsoDomainRefusedTitle")
                .setAttribute("crmSsoMessage", noAccount ? "crmSsoNoAccount"
                        : decision.guest() ? "crmSsoGuestRefused" : "crmSsoDomainRefused")
                .setAttribute("crmSsoAccount", claims.account())
                .setAttribute("crmSsoAllowedDomains", allowedDomains)
                .createForm(TEMPLATE);
    }
}

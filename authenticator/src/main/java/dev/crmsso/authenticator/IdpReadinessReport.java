package dev.crmsso.authenticator;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Once Keycloak has started (realm files imported): one log line for each identity provider
 * of a realm using the domain restriction that cannot sign anybody in yet. A realm file whose
 * IdP settings came from unset environment variables imports with those IdPs off; this says so,
 * instead of a "Continue with" button that silently never appears.
 */
final class IdpReadinessReport {

    private static final Logger LOG = Logger.getLogger(IdpReadinessReport.class);

    private IdpReadinessReport() {
    }

    static void log(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                .filter(IdpReadinessReport::usesDomainRestriction)
                .forEach(realm -> report(session, realm)));
    }

    private static boolean usesDomainRestriction(RealmModel realm) {
        return realm.getAuthenticationFlowsStream().anyMatch(flow -> realm.getAuthenticationExecutionsStream(flow.getId())
                .anyMatch(e -> DomainRestrictionConfig.PROVIDER_ID.equals(e.getAuthenticator())));
    }

    private static void report(KeycloakSession session, RealmModel realm) {
        session.getContext().setRealm(realm);
        session.identityProviders().getAllStream().forEach(idp -> {
            if (!idp.isEnabled()) {
                LOG.infof("crm-sso: realm %s: identity provider %s is disabled, so its sign-in button is not shown "
                        + "(enable it with its client id and secret; see the README's environment variables)",
                        realm.getName(), idp.getAlias());
            } else if (isBlank(idp.getConfig().get("clientId")) || isBlank(idp.getConfig().get("clientSecret"))) {
                LOG.warnf("crm-sso: realm %s: identity provider %s is enabled without a client id or secret: "
                        + "its sign-ins will fail", realm.getName(), idp.getAlias());
            }
        });
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}

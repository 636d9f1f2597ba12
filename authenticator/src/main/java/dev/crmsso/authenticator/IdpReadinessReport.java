package dev.crmsso.authenticator;

import org.jboss.logging.Logger;
import org.keycloak.models.IdentityProviderModel;
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
            if (idp.isEnabled()) {
                reportPolicy(session, realm, idp);
            }
        });
    }

    /** What an enabled IdP's domain check lacks: the step, the guard mapper, a tenant for Microsoft. */
    private static void reportPolicy(KeycloakSession session, RealmModel realm, IdentityProviderModel idp) {
        if (DomainSteps.stepOf(realm, idp).isEmpty()) {
            LOG.warnf("crm-sso: realm %s: identity provider %s does not run the %s step in its first login or post "
                    + "login flow: its logins are not checked", realm.getName(), idp.getAlias(),
                    DomainRestrictionConfig.PROVIDER_ID);
            return;
        }
        if (!DomainSteps.hasGuard(session, idp)) {
            LOG.warnf("crm-sso: realm %s: identity provider %s has no %s mapper: a refused later login is stopped only "
                    + "after Keycloak has updated the account (sync mode FORCE) and account linking is not checked; add "
                    + "the mapper (Identity providers, %s, Mappers)", realm.getName(), idp.getAlias(),
                    DomainGuardMapper.PROVIDER_ID, idp.getAlias());
        }
        DomainRestrictionConfig config = DomainRestrictionConfig.of(DomainSteps.configOf(realm, idp).orElse(null));
        config.retiredSettings().forEach(setting -> LOG.warnf("crm-sso: realm %s: the %s step of identity provider %s "
                + "has the setting %s, which is no longer read: the IdP kind is decided by provider type, issuer and "
                + "endpoints", realm.getName(), DomainRestrictionConfig.PROVIDER_ID, idp.getAlias(), setting));
        IdpKind kind = config.kindOf(idp);
        if ((kind == IdpKind.MICROSOFT_ENTRA || kind == IdpKind.MICROSOFT_GRAPH) && !config.policy().hasTenants()) {
            LOG.warnf("crm-sso: realm %s: identity provider %s is Microsoft and its %s step has no Allowed Microsoft "
                    + "tenant ids: every Microsoft login is refused (Microsoft logins are decided on tid alone; domains "
                    + "decide nothing for them). Set CRMSSO_ALLOWED_TENANTS or the step's setting",
                    realm.getName(), idp.getAlias(), DomainRestrictionConfig.PROVIDER_ID);
        }
        LOG.infof("crm-sso: realm %s: identity provider %s is decided as %s", realm.getName(), idp.getAlias(), kind);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}

package dev.crmsso.authenticator;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.EventType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A step of an IdP's post-login flow (every brokered login) and of first broker login (before an
 * account is created or linked): lets through only accounts of the company's registered domains
 * and tenants, as the upstream token proves them; shows everyone else a refusal page.
 */
final class DomainRestrictionAuthenticator implements Authenticator {

    static final String ERROR_DOMAIN_NOT_ALLOWED = Refusal.ERROR_DOMAIN_NOT_ALLOWED;
    static final String ERROR_NO_ACCOUNT = Refusal.ERROR_NO_ACCOUNT;

    private static final Logger LOG = Logger.getLogger(DomainRestrictionAuthenticator.class);
    /** Realm id + path of the domain groups already reported missing: one warning per node and group. */
    private static final java.util.Set<String> MISSING_GROUPS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        SerializedBrokeredIdentityContext serialized = Optional
                .ofNullable(SerializedBrokeredIdentityContext.readFromAuthenticationSession(authSession,
                        AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE))
                .orElseGet(() -> SerializedBrokeredIdentityContext.readFromAuthenticationSession(authSession,
                        PostBrokerLoginConstants.PBL_BROKERED_IDENTITY_CONTEXT));
        if (serialized == null) {
            LOG.warnf("%s is in flow %s, which is not a first broker login or post login flow: it decides nothing there",
                    DomainRestrictionConfig.PROVIDER_ID, context.getTopLevelFlow().getAlias());
            context.attempted();
            return;
        }
        boolean postLogin = SerializedBrokeredIdentityContext.readFromAuthenticationSession(authSession,
                AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE) == null;
        BrokeredIdentityContext brokered = serialized.deserialize(context.getSession(), authSession);
        DomainRestrictionConfig config = DomainRestrictionConfig.of(context.getAuthenticatorConfig());
        String alias = brokered.getIdpConfig().getAlias();
        BrokeredClaims claims = BrokeredClaimsReader.read(brokered);
        Decision decision = config.policy().decide(config.kindOf(brokered.getIdpConfig()), claims);

        if (!decision.allowed()) {
            if (postLogin && !DomainSteps.hasGuard(context.getSession(), brokered.getIdpConfig())) {
                LOG.errorf("crm-sso: realm %s: identity provider %s has no %s mapper, so this refused login was stopped "
                        + "only after Keycloak had updated the account (sync mode FORCE: email, names, attributes): add "
                        + "the mapper to the IdP", LogText.of(context.getRealm().getName()), LogText.of(alias),
                        DomainGuardMapper.PROVIDER_ID);
            }
            refuse(context, alias, claims, decision, ERROR_DOMAIN_NOT_ALLOWED,
                    config.showAllowedDomains() ? config.policy().allowedDomains() : List.of());
            return;
        }
        UserModel user = context.getUser();
        if (user == null && !config.createAccounts() && !hasAccount(context, claims)) {
            refuse(context, alias, claims, decision, ERROR_NO_ACCOUNT, List.of());
            return;
        }
        if (user != null) {
            config.groupFor(decision.groupKey()).ifPresent(path -> join(context.getSession(), context.getRealm(), user, path));
        }
        context.success();
    }

    /** A local or federated (CRM) account with the upstream email or UPN. */
    private static boolean hasAccount(AuthenticationFlowContext context, BrokeredClaims claims) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        for (String name : new String[] {claims.email(), claims.upn(), claims.preferredUsername()}) {
            if (name != null && !name.isBlank() && (session.users().getUserByEmail(realm, name) != null
                    || session.users().getUserByUsername(realm, name) != null)) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(AuthenticationFlowContext context, String alias, BrokeredClaims claims, Decision decision,
            String error, List<String> allowedDomains) {
        Refusal.record(context.getEvent().event(EventType.IDENTITY_PROVIDER_LOGIN), context.getRealm().getName(), alias,
                claims, decision, error);
        context.challenge(Refusal.page(context.form(), claims, decision, error, allowedDomains));
    }

    /**
     * Joins the rule's group, which must exist: an admin writes the rule and creates its group. Only the group sync
     * creates groups (from what the CRM and the IdP say, below its managed parent, race-safe); a second creator here
     * raced it and failed concurrent first logins with 409.
     */
    private static void join(KeycloakSession session, RealmModel realm, UserModel user, String path) {
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
        if (group == null) {
            if (MISSING_GROUPS.add(realm.getId() + path)) {
                LOG.warnf("realm %s: the domain group %s does not exist; create it to have allowed logins join it",
                        realm.getName(), path);
            }
            return;
        }
        if (!user.isMemberOf(group)) {
            user.joinGroup(group);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // the refusal page has no form to post
        context.attempted();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}

package dev.crmsso.authenticator;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resources.IdentityBrokerService;
import org.keycloak.sessions.AuthenticationSessionModel;

import com.google.auto.service.AutoService;

import jakarta.ws.rs.WebApplicationException;

/**
 * The domain step's policy at the IdP's callback, before Keycloak writes anything. Keycloak runs an
 * IdP's mappers' {@code preprocessFederatedIdentity} first thing in {@code IdentityBrokerService.authenticated},
 * before it links an account ({@code kc_action=idp_link}, the account console), before it looks the user up,
 * and before sync mode FORCE writes email, names, attributes and the link's username: the post login flow
 * runs only after all of that, so a refusal there would leave the account changed. Here a refused login
 * ends at the themed refusal page (the broker endpoint answers a {@link WebApplicationException} with its
 * response), and nothing has been written.
 *
 * <p>It has no settings of its own: it applies the settings of the IdP's "CRM SSO: allowed domains" step
 * (post login flow, else first login flow), so both decide alike.
 */
@AutoService(IdentityProviderMapper.class)
public final class DomainGuardMapper extends AbstractIdentityProviderMapper {

    static final String PROVIDER_ID = "crm-sso-domain-guard";
    private static final Logger LOG = Logger.getLogger(DomainGuardMapper.class);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return new String[] {ANY_PROVIDER};
    }

    @Override
    public String getDisplayCategory() {
        return "Preprocessor";
    }

    @Override
    public String getDisplayType() {
        return "CRM SSO: allowed domains, before anything is written";
    }

    @Override
    public String getHelpText() {
        return "Applies the settings of this IdP's CRM SSO: allowed domains step at the IdP's callback, before Keycloak "
                + "links, looks up or updates an account (sync mode FORCE): a refused login, account linking included, "
                + "changes nothing. Add it to every IdP whose flows have the step.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        IdentityProviderModel idp = context.getIdpConfig();
        Optional<AuthenticatorConfigModel> settings = DomainSteps.configOf(realm, idp);
        if (settings.isEmpty()) {
            LOG.warnf("crm-sso: realm %s: identity provider %s has the %s mapper but no configured %s step in its "
                    + "flows: nobody is allowed", LogText.of(realm.getName()), LogText.of(idp.getAlias()), PROVIDER_ID,
                    DomainRestrictionConfig.PROVIDER_ID);
        }
        DomainRestrictionConfig config = DomainRestrictionConfig.of(settings.orElse(null));
        BrokeredClaims claims = BrokeredClaimsReader.read(context);
        Decision decision = config.policy().decide(config.kindOf(idp), claims);
        if (decision.allowed()) {
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean linking = authSession != null && authSession.getAuthNote(IdentityBrokerService.LINKING_IDENTITY_PROVIDER) != null;
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(linking ? EventType.IDENTITY_PROVIDER_LINK_ACCOUNT : EventType.IDENTITY_PROVIDER_LOGIN);
        if (authSession != null) {
            event.client(authSession.getClient());
            if (linking && authSession.getAuthenticatedUser() != null) {
                event.user(authSession.getAuthenticatedUser());
            }
        }
        Refusal.record(event, realm.getName(), idp.getAlias(), claims, decision, Refusal.ERROR_DOMAIN_NOT_ALLOWED);
        LoginFormsProvider form = session.getProvider(LoginFormsProvider.class);
        if (authSession != null) {
            form.setAuthenticationSession(authSession);
        }
        throw new WebApplicationException(Refusal.page(form, claims, decision, Refusal.ERROR_DOMAIN_NOT_ALLOWED,
                config.showAllowedDomains() ? config.policy().allowedDomains() : List.of()));
    }
}

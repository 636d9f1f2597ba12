package dev.crmsso.authenticator;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

/** "CRM SSO: allowed domains", for an IdP's post-login flow and for first broker login. */
@AutoService(AuthenticatorFactory.class)
public final class DomainRestrictionAuthenticatorFactory implements AuthenticatorFactory {

    private static final DomainRestrictionAuthenticator AUTHENTICATOR = new DomainRestrictionAuthenticator();

    @Override
    public String getId() {
        return DomainRestrictionConfig.PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "CRM SSO: allowed domains";
    }

    @Override
    public String getHelpText() {
        return "Lets a brokered login through only for the company's registered domains and tenants (Google hd, Microsoft "
                + "tid, verified email for other IdPs). Put it in the IdP's post login flow and in first broker login, and "
                + "add the IdP mapper 'CRM SSO: allowed domains, before anything is written' to the IdP.";
    }

    @Override
    public String getReferenceCategory() {
        return "domain-restriction";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return DomainRestrictionConfig.PROPERTIES;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return AUTHENTICATOR;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                IdpReadinessReport.log(factory);
            }
        });
    }

    @Override
    public void close() {
    }
}

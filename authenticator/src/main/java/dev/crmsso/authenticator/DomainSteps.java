package dev.crmsso.authenticator;

import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Where an IdP runs the domain step, and the guard mapper: read from the realm's flows and mappers. */
final class DomainSteps {

    private DomainSteps() {
    }

    /** The step in the IdP's post login flow, else in its first login flow; empty when neither has it. */
    static Optional<AuthenticationExecutionModel> stepOf(RealmModel realm, IdentityProviderModel idp) {
        for (String flow : new String[] {idp.getPostBrokerLoginFlowId(), idp.getFirstBrokerLoginFlowId()}) {
            Optional<AuthenticationExecutionModel> step = flow == null ? Optional.empty() : find(realm, flow, 0);
            if (step.isPresent()) {
                return step;
            }
        }
        return Optional.empty();
    }

    /** The settings of that step (the guard applies the very policy the flows apply). */
    static Optional<AuthenticatorConfigModel> configOf(RealmModel realm, IdentityProviderModel idp) {
        return stepOf(realm, idp).map(AuthenticationExecutionModel::getAuthenticatorConfig)
                .map(realm::getAuthenticatorConfigById);
    }

    static boolean hasGuard(KeycloakSession session, IdentityProviderModel idp) {
        return session.identityProviders().getMappersByAliasStream(idp.getAlias())
                .anyMatch(m -> DomainGuardMapper.PROVIDER_ID.equals(m.getIdentityProviderMapper()));
    }

    private static Optional<AuthenticationExecutionModel> find(RealmModel realm, String flowId, int depth) {
        if (depth > 10) {
            return Optional.empty();
        }
        return realm.getAuthenticationExecutionsStream(flowId)
                .filter(e -> e.getRequirement() != AuthenticationExecutionModel.Requirement.DISABLED)
                .map(e -> e.isAuthenticatorFlow() ? find(realm, e.getFlowId(), depth + 1)
                        : DomainRestrictionConfig.PROVIDER_ID.equals(e.getAuthenticator()) ? Optional.of(e)
                        : Optional.<AuthenticationExecutionModel>empty())
                .flatMap(Optional::stream).findFirst();
    }
}

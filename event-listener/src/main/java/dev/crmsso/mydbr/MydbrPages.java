package dev.crmsso.mydbr;

import jakarta.ws.rs.core.Response;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

/** The themed pages the protocol shows instead of redirecting to myDBR. */
public final class MydbrPages {

    private MydbrPages() {
    }

    /** The theme's error page with one of the protocol's messages; never a redirect to the return URL. */
    public static Response error(KeycloakSession session, AuthenticationSessionModel authSession, String messageKey) {
        return ErrorPage.error(session, authSession, Response.Status.BAD_REQUEST, messageKey);
    }

    /** The theme's "You are logged out" page. */
    public static Response loggedOut(KeycloakSession session) {
        return session.getProvider(LoginFormsProvider.class)
                .setDetachedAuthSession()
                .setSuccess(Messages.SUCCESS_LOGOUT)
                .createInfoPage();
    }
}

package dev.crmsso.mydbr.endpoints;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.common.ClientConnection;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.freemarker.model.UrlBean;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.resources.LogoutSessionCodeChecks;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.theme.Theme;

import dev.crmsso.mydbr.MydbrClient;
import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrLoginProtocol;
import dev.crmsso.mydbr.MydbrPages;
import dev.crmsso.mydbr.MydbrRedirect;

/**
 * {@code GET .../protocol/mydbr/logout?url=U} asks "Do you want to log out?", and its form ({@code POST .../confirm})
 * ends the Keycloak session with Keycloak's own browser logout (which logs the user out of the realm's other clients
 * too), then goes to {@code U} only if it is a valid redirect URI of an enabled myDBR client, else to the logged-out
 * page. No open redirect.
 * <p>
 * Why ask: myDBR's logout link is a plain GET from myDBR's site, unsigned (myDBR documents only a {@code url}
 * parameter), so nothing tells it from a cross-site link or image an attacker plants. Keycloak's own OIDC logout asks
 * for confirmation whenever it cannot tell who sent the request (no {@code id_token_hint}); this endpoint does the
 * same, with Keycloak's page and its one-time code bound to the browser's authentication session.
 */
public class MydbrLogoutEndpoint {

    private static final String SESSION_CODE = "session_code";

    private final KeycloakSession session;
    private final EventBuilder event;

    public MydbrLogoutEndpoint(KeycloakSession session, EventBuilder event) {
        this.session = session;
        this.event = event;
    }

    @GET
    public Response logout() {
        RealmModel realm = session.getContext().getRealm();
        String url = session.getContext().getUri().getQueryParameters().getFirst(MydbrConstants.PARAM_URL);
        Optional<MydbrClient> client = url == null ? Optional.empty() : MydbrClient.allOf(realm)
                .filter(c -> c.model().isEnabled() && c.allowsUrl(session, url)).findFirst();
        if (url != null && client.isEmpty()) {
            event.event(EventType.LOGOUT_ERROR).detail(Details.REDIRECT_URI, url).error(Errors.INVALID_REDIRECT_URI);
        }

        AuthenticationManager.AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, false);
        if (auth == null) {
            return leave(client.isPresent() ? url : null);
        }
        client.ifPresent(c -> session.getContext().setClient(c.model()));
        AuthenticationSessionModel logoutSession = AuthenticationManager.createOrJoinLogoutSession(session, realm,
                new AuthenticationSessionManager(session), auth.session(), true, true);
        if (client.isPresent()) {
            logoutSession.setAuthNote(MydbrLoginProtocol.LOGOUT_REDIRECT_URI, url);
        }
        ClientSessionCode<AuthenticationSessionModel> code = new ClientSessionCode<>(session, realm, logoutSession);
        code.setAction(AuthenticationSessionModel.Action.LOGGING_OUT.name());
        URI base = session.getContext().getUri().getBaseUri();
        String confirm = UriBuilder.fromUri(base).path("realms/{realm}/protocol/{protocol}/logout/confirm")
                .queryParam(Constants.CLIENT_ID, logoutSession.getClient().getClientId())
                .queryParam(Constants.TAB_ID, logoutSession.getTabId())
                .build(realm.getName(), MydbrConstants.PROTOCOL).toString();
        Theme theme = loginTheme();
        // Keycloak's confirmation page posts to the OIDC endpoint; here it posts to this protocol's own
        return session.getProvider(LoginFormsProvider.class)
                .setAuthenticationSession(logoutSession)
                .setClientSessionCode(code.getOrGenerateCode())
                .setAttributeMapper(attributes -> {
                    attributes.put("url", new UrlBean(realm, theme, base, null) {
                        @Override
                        public String getLogoutConfirmAction() {
                            return confirm;
                        }
                    });
                    return attributes;
                })
                .createLogoutConfirmPage();
    }

    /** The confirmation: valid only with the one-time code of this browser's logout session, before it expires. */
    @POST
    @Path("confirm")
    public Response confirm() {
        RealmModel realm = session.getContext().getRealm();
        event.event(EventType.LOGOUT);
        String code = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst(SESSION_CODE);
        var query = session.getContext().getUri().getQueryParameters();
        if (code == null) {
            event.error(Errors.INVALID_CODE);
            return ErrorPage.error(session, null, Response.Status.BAD_REQUEST, Messages.FAILED_LOGOUT);
        }
        LogoutSessionCodeChecks checks = new LogoutSessionCodeChecks(realm, session.getContext().getUri(),
                session.getContext().getHttpRequest(), session.getContext().getConnection(), session, event, code,
                query.getFirst(Constants.CLIENT_ID), query.getFirst(Constants.TAB_ID));
        if (!checks.initialVerify() || !checks.verifyActiveAndValidAction(AuthenticationSessionModel.Action.LOGGING_OUT.name(),
                ClientSessionCode.ActionType.USER) || !checks.isActionRequest()) {
            // another browser's code, an expired or used one: Keycloak's own checks have sent the event
            return ErrorPage.error(session, checks.getAuthenticationSession(), Response.Status.BAD_REQUEST,
                    Messages.FAILED_LOGOUT);
        }
        String redirect = checks.getAuthenticationSession().getAuthNote(MydbrLoginProtocol.LOGOUT_REDIRECT_URI);

        AuthenticationManager.AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, false);
        if (auth == null) {
            return leave(redirect);
        }
        UserSessionModel userSession = auth.session();
        userSession.setNote(AuthenticationManager.KEYCLOAK_LOGOUT_PROTOCOL, MydbrConstants.PROTOCOL);
        if (redirect != null) {
            userSession.setNote(MydbrLoginProtocol.LOGOUT_REDIRECT_URI, redirect);
        }
        ClientConnection connection = session.getContext().getConnection();
        return AuthenticationManager.browserLogout(session, realm, userSession, session.getContext().getUri(),
                connection, session.getContext().getRequestHeaders());
    }

    /** No session to end: straight to the allowed URL, or the logged-out page. */
    private Response leave(String allowed) {
        if (allowed != null) {
            return Response.status(Response.Status.FOUND).location(MydbrRedirect.ascii(allowed)).build();
        }
        return MydbrPages.loggedOut(session);
    }

    private Theme loginTheme() {
        try {
            return session.theme().getTheme(Theme.Type.LOGIN);
        } catch (IOException e) {
            throw new IllegalStateException("the realm's login theme cannot be loaded", e);
        }
    }
}

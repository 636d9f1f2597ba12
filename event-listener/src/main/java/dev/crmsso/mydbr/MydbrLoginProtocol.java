package dev.crmsso.mydbr;

import java.net.URI;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ClientData;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.ProtocolMapperUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.crmsso.mydbr.mappers.MydbrParameterMapper;

/**
 * The myDBR SSO protocol once Keycloak has authenticated the user: signs the user's parameters with the
 * client's secret and sends the browser back to myDBR's return URL; and the myDBR side of logout.
 */
public class MydbrLoginProtocol implements LoginProtocol {

    private static final Logger LOG = Logger.getLogger(MydbrLoginProtocol.class);

    /** User session note: where to send the browser after a logout started at the myDBR logout endpoint. */
    public static final String LOGOUT_REDIRECT_URI = "mydbr.logout.redirect";

    private KeycloakSession session;
    private RealmModel realm;
    private EventBuilder event;

    @Override
    public MydbrLoginProtocol setSession(KeycloakSession session) {
        this.session = session;
        return this;
    }

    @Override
    public MydbrLoginProtocol setRealm(RealmModel realm) {
        this.realm = realm;
        return this;
    }

    @Override
    public MydbrLoginProtocol setUriInfo(UriInfo uriInfo) {
        return this;
    }

    @Override
    public MydbrLoginProtocol setHttpHeaders(HttpHeaders headers) {
        return this;
    }

    @Override
    public MydbrLoginProtocol setEventBuilder(EventBuilder event) {
        this.event = event;
        return this;
    }

    @Override
    public Response authenticated(AuthenticationSessionModel authSession, UserSessionModel userSession,
                                  ClientSessionContext clientSessionCtx) {
        ClientModel clientModel = clientSessionCtx.getClientSession().getClient();
        MydbrClient client = new MydbrClient(clientModel);
        MydbrSignature signature = client.signatureOrNull();
        if (signature == null) {
            // the secret was removed between the request and the end of the login
            return MydbrPages.error(session, authSession, MydbrConstants.MSG_INVALID_SIGNATURE);
        }

        MydbrUserParameters parameters = parametersOf(userSession.getUser(), client);
        ProtocolMapperUtils.getSortedProtocolMappers(session, clientSessionCtx)
                .filter(m -> m.getValue() instanceof MydbrParameterMapper)
                .forEach(m -> ((MydbrParameterMapper) m.getValue())
                        .map(parameters, m.getKey(), session, userSession, clientSessionCtx));

        String token = authSession.getClientNote(MydbrConstants.NOTE_TOKEN);
        String hash = signature.responseHash(parameters, token, client.legacyHash());
        String target = MydbrRedirect.to(authSession.getRedirectUri(), parameters.asQueryParameters(), hash);
        return Response.status(Response.Status.FOUND).location(URI.create(target)).build();
    }

    private MydbrUserParameters parametersOf(UserModel user, MydbrClient client) {
        MydbrUserParameters parameters = new MydbrUserParameters(user.getUsername(), fullName(user), user.getEmail());
        RoleModel adminRole = client.adminRole(realm);
        if (adminRole != null && user.hasRole(adminRole)) {
            parameters.grantAdmin();
        }
        return parameters;
    }

    private static String fullName(UserModel user) {
        String first = user.getFirstName() == null ? "" : user.getFirstName();
        String last = user.getLastName() == null ? "" : user.getLastName();
        return (first + " " + last).trim();
    }

    /** A failed or cancelled login ends on Keycloak's error page: myDBR has no error response to send to. */
    @Override
    public Response sendError(AuthenticationSessionModel authSession, Error error, String errorMessage) {
        LOG.debugf("myDBR login ended with %s", error);
        return MydbrPages.error(session, authSession, MydbrConstants.MSG_LOGIN_FAILED);
    }

    @Override
    public ClientData getClientData(AuthenticationSessionModel authSession) {
        return new ClientData(authSession.getRedirectUri(), null, null, null);
    }

    @Override
    public Response sendError(ClientModel client, ClientData clientData, Error error) {
        return MydbrPages.error(session, null, MydbrConstants.MSG_LOGIN_FAILED);
    }

    /** myDBR has no logout callback; its own session ends when the user next meets it or logs out there. */
    @Override
    public Response backchannelLogout(UserSessionModel userSession, AuthenticatedClientSessionModel clientSession) {
        return Response.ok().build();
    }

    /** Nothing to render for myDBR during another client's front-channel logout. */
    @Override
    public Response frontchannelLogout(UserSessionModel userSession, AuthenticatedClientSessionModel clientSession) {
        return null;
    }

    @Override
    public Response finishBrowserLogout(UserSessionModel userSession, AuthenticationSessionModel logoutSession) {
        event.event(EventType.LOGOUT).user(userSession.getUser()).session(userSession).success();
        String redirect = userSession.getNote(LOGOUT_REDIRECT_URI);
        if (redirect != null) {
            return Response.status(Response.Status.FOUND).location(URI.create(redirect)).build();
        }
        return MydbrPages.loggedOut(session);
    }

    @Override
    public boolean requireReauthentication(UserSessionModel userSession, AuthenticationSessionModel authSession) {
        return false;
    }

    @Override
    public void close() {
    }
}

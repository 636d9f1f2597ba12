package dev.crmsso.mydbr;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ClientData;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.ProtocolMapperUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.crmsso.mydbr.mappers.GroupMembershipParameterMapper;
import dev.crmsso.mydbr.mappers.MydbrParameterMapper;

/**
 * The myDBR SSO protocol once Keycloak has authenticated the user: signs the user's parameters with the
 * client's secret and sends the browser back to myDBR's return URL; and the myDBR side of logout.
 */
public class MydbrLoginProtocol implements LoginProtocol {

    private static final Logger LOG = Logger.getLogger(MydbrLoginProtocol.class);

    /** User session note: where to send the browser after a logout started at the myDBR logout endpoint. */
    public static final String LOGOUT_REDIRECT_URI = "mydbr.logout.redirect";

    /** Keycloak's username column holds at most this many characters: a longer candidate is nobody. */
    private static final int MAX_USERNAME_LENGTH = 255;

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

        UserModel user = userSession.getUser();
        MydbrUserParameters parameters = parametersOf(user, client);
        List<Map.Entry<ProtocolMapperModel, MydbrParameterMapper>> mappers = ProtocolMapperUtils
                .getSortedProtocolMappers(session, clientSessionCtx)
                .filter(m -> m.getValue() instanceof MydbrParameterMapper)
                .map(m -> Map.entry(m.getKey(), (MydbrParameterMapper) m.getValue()))
                .toList();
        boolean legacy = client.legacyHash();
        for (Map.Entry<ProtocolMapperModel, MydbrParameterMapper> m : mappers) {
            if (legacy && !m.getValue().coveredByLegacyHash(m.getKey())) {
                return refuse(authSession, user, clientModel, new ResplitGuard.Forgery(m.getKey().getName(),
                        "mapper '" + m.getKey().getName() + "' sends a value the legacy hash does not cover"));
            }
            try {
                m.getValue().map(parameters, m.getKey(), session, userSession, clientSessionCtx);
            } catch (IllegalArgumentException e) {
                // a mapper saved before its parameter stopped being settable (user): refused, not a server error
                return refuse(authSession, user, clientModel, new ResplitGuard.Forgery(m.getKey().getName(),
                        "mapper '" + m.getKey().getName() + "': " + e.getMessage()));
            }
        }

        ResplitGuard guard = new ResplitGuard(new ResplitGuard.Policy(client.extrasAccepted(), legacy,
                otherIdentity(client, user), groupsNotTheirs(mappers, parameters)));
        Optional<ResplitGuard.Forgery> forgery = guard.check(parameters);
        if (forgery.isPresent()) {
            return refuse(authSession, user, clientModel, forgery.get());
        }

        String token = authSession.getClientNote(MydbrConstants.NOTE_TOKEN);
        String hash = signature.responseHash(parameters, token, legacy);
        URI target = MydbrRedirect.to(authSession.getRedirectUri(), parameters.asQueryParameters(legacy), hash);
        return Response.status(Response.Status.FOUND).location(target).build();
    }

    /**
     * A forgeable answer is never signed: the user gets the themed page, the admin a {@code LOGIN_ERROR} event naming
     * the field and one log line. The event is a copy so that Keycloak's own login event is left as it is.
     */
    private Response refuse(AuthenticationSessionModel authSession, UserModel user, ClientModel client,
                            ResplitGuard.Forgery forgery) {
        LOG.warnf("myDBR SSO: answer for user %s to client %s (realm %s) not signed: %s: %s", user.getId(),
                client.getClientId(), realm.getName(), forgery.field(), forgery.reason());
        event.clone().event(EventType.LOGIN).user(user).client(client)
                .detail(MydbrConstants.DETAIL_FIELD, forgery.field())
                .detail(Details.REASON, forgery.reason())
                .error(MydbrConstants.ERROR_FORGEABLE_ANSWER);
        return MydbrPages.error(session, authSession, MydbrConstants.MSG_FORGEABLE_ANSWER);
    }

    /**
     * Who a re-split {@code user} must never become: myDBR's local accounts and, when {@code user} is the username,
     * the realm's users. A fixed-form id needs no lookup: every re-split candidate is shorter or longer than an id, so
     * only a candidate of that form (impossible) would be treated as somebody.
     */
    private Predicate<String> otherIdentity(MydbrClient client, UserModel user) {
        Set<String> local = client.localAccounts();
        Predicate<String> localAccount = c -> local.contains(c.toLowerCase(Locale.ROOT));
        if (client.sendsUserId()) {
            return localAccount.or(c -> MydbrUserId.isOfForm(c));
        }
        return localAccount.or(c -> c.length() <= MAX_USERNAME_LENGTH && !c.isBlank()
                && session.users().getUserByUsername(realm, c) != null);
    }

    /** The values the client's group mappers can send for anybody, minus the user's own. */
    private Collection<String> groupsNotTheirs(List<Map.Entry<ProtocolMapperModel, MydbrParameterMapper>> mappers,
                                               MydbrUserParameters parameters) {
        Set<String> own = parameters.groupNames().stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return mappers.stream().filter(m -> m.getValue() instanceof GroupMembershipParameterMapper)
                .flatMap(m -> GroupMembershipParameterMapper.sendable(m.getKey(), session, realm))
                .filter(g -> !own.contains(g.toLowerCase(Locale.ROOT)))
                .collect(Collectors.toSet());
    }

    private MydbrUserParameters parametersOf(UserModel user, MydbrClient client) {
        String login = client.sendsUserId() ? MydbrUserId.of(user) : user.getUsername();
        MydbrUserParameters parameters = new MydbrUserParameters(login, fullName(user), user.getEmail());
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
            return Response.status(Response.Status.FOUND).location(MydbrRedirect.ascii(redirect)).build();
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

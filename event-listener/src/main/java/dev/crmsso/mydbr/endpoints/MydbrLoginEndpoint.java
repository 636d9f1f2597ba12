package dev.crmsso.mydbr.endpoints;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.AuthorizationEndpointBase;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.crmsso.mydbr.MydbrClient;
import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrPages;
import dev.crmsso.mydbr.MydbrSignature;

/**
 * {@code GET .../protocol/mydbr/login?url=U&token=T&hash=H}: checks that a myDBR client sent the request,
 * then hands the browser to the realm's browser flow; {@code MydbrLoginProtocol} answers once it is done.
 * Every refusal is an error page and a {@code LOGIN_ERROR} event, never a redirect to {@code U}.
 */
public class MydbrLoginEndpoint extends AuthorizationEndpointBase {

    private static final Logger LOG = Logger.getLogger(MydbrLoginEndpoint.class);

    /** A myDBR client and the return URL the request carries under that client's url parameter. */
    private record Candidate(MydbrClient client, String url) {
    }

    public MydbrLoginEndpoint(KeycloakSession session, EventBuilder event) {
        super(session, event);
    }

    @GET
    public Response login() {
        event.event(EventType.LOGIN).detail(Details.AUTH_METHOD, MydbrConstants.PROTOCOL);
        checkSsl();
        checkRealm();

        MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
        String token = query.getFirst(MydbrConstants.PARAM_TOKEN);
        String hash = query.getFirst(MydbrConstants.PARAM_HASH);
        // Each client reads the return URL from its own parameter (url, or e.g. mobile for SugarCRM).
        List<Candidate> requested = MydbrClient.allOf(realm)
                .map(c -> new Candidate(c, query.getFirst(c.urlParameter())))
                .filter(c -> notBlank(c.url()))
                .toList();
        String defaultUrl = query.getFirst(MydbrConstants.PARAM_URL);
        if ((requested.isEmpty() && !notBlank(defaultUrl)) || !notBlank(token) || !notBlank(hash)) {
            return refuse(Errors.INVALID_REQUEST, MydbrConstants.MSG_MISSING_PARAMETER);
        }

        List<Candidate> candidates = requested.stream().filter(c -> c.client().allowsUrl(session, c.url())).toList();
        if (candidates.isEmpty()) {
            event.detail(Details.REDIRECT_URI, requested.isEmpty() ? defaultUrl : requested.get(0).url());
            return refuse(Errors.INVALID_REDIRECT_URI, MydbrConstants.MSG_INVALID_REDIRECT_URI);
        }
        List<Candidate> enabled = candidates.stream().filter(c -> c.client().model().isEnabled()).toList();
        if (enabled.isEmpty()) {
            event.client(candidates.get(0).client().model()).detail(Details.REASON, "client disabled");
            return refuse(Errors.CLIENT_NOT_FOUND, MydbrConstants.MSG_CLIENT_NOT_FOUND);
        }

        // Several clients may allow the same URL; the one whose secret made the hash is the sender.
        Optional<Candidate> sender = enabled.stream().filter(c -> verifies(c, token, hash)).findFirst();
        if (sender.isEmpty()) {
            event.client(enabled.get(0).client().model());
            return refuse(Errors.INVALID_SIGNATURE, MydbrConstants.MSG_INVALID_SIGNATURE);
        }
        Candidate request = sender.get();
        event.client(request.client().model()).detail(Details.REDIRECT_URI, request.url());

        // Checked after the signature so that nobody but myDBR can burn a token.
        String replayKey = MydbrConstants.REPLAY_KEY_PREFIX + request.client().model().getId() + ":" + token;
        if (!session.singleUseObjects().putIfAbsent(replayKey, MydbrConstants.TOKEN_REPLAY_WINDOW_SECONDS)) {
            return refuse(MydbrConstants.ERROR_REPLAYED_TOKEN, MydbrConstants.MSG_REPLAYED_TOKEN);
        }

        AuthenticationSessionModel authSession = createAuthenticationSession(request.client().model(), null);
        authSession.setProtocol(MydbrConstants.PROTOCOL);
        authSession.setRedirectUri(request.url());
        authSession.setAction(AuthenticationSessionModel.Action.AUTHENTICATE.name());
        authSession.setClientNote(MydbrConstants.NOTE_TOKEN, token);

        LoginProtocol protocol = session.getProvider(LoginProtocol.class, MydbrConstants.PROTOCOL);
        protocol.setRealm(realm).setEventBuilder(event);
        return handleBrowserAuthenticationRequest(authSession, protocol, false, false);
    }

    private static boolean verifies(Candidate candidate, String token, String hash) {
        MydbrSignature signature = candidate.client().signatureOrNull();
        return signature != null && signature.verifiesRequest(candidate.url(), token, hash);
    }

    private Response refuse(String error, String messageKey) {
        LOG.debugf("myDBR SSO request refused in realm %s: %s", realm.getName(), error);
        event.error(error);
        return MydbrPages.error(session, null, messageKey);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}

package dev.crmsso.mydbr;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.AbstractLoginProtocolFactory;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.LoginProtocolFactory;
import org.keycloak.representations.idm.ClientRepresentation;

import com.google.auto.service.AutoService;

import dev.crmsso.mydbr.endpoints.MydbrProtocolService;
import dev.crmsso.mydbr.mappers.GroupMembershipParameterMapper;
import dev.crmsso.mydbr.mappers.UserAttributeParameterMapper;

/** Registers the {@value MydbrConstants#PROTOCOL} login protocol: {@code /realms/{realm}/protocol/mydbr/...}. */
@AutoService(LoginProtocolFactory.class)
public class MydbrLoginProtocolFactory extends AbstractLoginProtocolFactory {

    /** Mapper names of the defaults every new myDBR client gets. */
    public static final String GROUPS_MAPPER = "groups";
    public static final String TELEPHONE_MAPPER = "telephone";
    /** The user attribute the default telephone mapper reads. */
    public static final String TELEPHONE_ATTRIBUTE = "phone";

    @Override
    public String getId() {
        return MydbrConstants.PROTOCOL;
    }

    @Override
    public LoginProtocol create(KeycloakSession session) {
        return new MydbrLoginProtocol().setSession(session);
    }

    @Override
    public Object createProtocolEndpoint(KeycloakSession session, EventBuilder event) {
        return new MydbrProtocolService(session, event);
    }

    @Override
    public Map<String, ProtocolMapperModel> getBuiltinMappers() {
        Map<String, ProtocolMapperModel> builtins = new LinkedHashMap<>();
        builtins.put(GROUPS_MAPPER, GroupMembershipParameterMapper.model(GROUPS_MAPPER));
        builtins.put(TELEPHONE_MAPPER, UserAttributeParameterMapper.model(TELEPHONE_MAPPER, TELEPHONE_ATTRIBUTE,
                MydbrConstants.PARAM_TELEPHONE));
        return builtins;
    }

    /** No realm-wide client scopes: the defaults are put on each new client (see {@link #setupClientDefaults}). */
    @Override
    protected void createDefaultClientScopesImpl(RealmModel newRealm) {
    }

    @Override
    protected void addDefaults(ClientModel client) {
    }

    /**
     * A new myDBR client is confidential, whatever the request says (its secret is myDBR's SSO secret, shown on the
     * Credentials tab) and,
     * unless the representation brings its own mappers, sends groups and telephone out of the box (groups only with the
     * legacy hash).
     */
    @Override
    public void setupClientDefaults(ClientRepresentation rep, ClientModel newClient) {
        // always: myDBR's SSO secret is the client secret, and a public client has none (the admin console's
        // wizard sends publicClient=true for a protocol it does not know)
        newClient.setPublicClient(false);
        if (newClient.getClientAuthenticatorType() == null) {
            newClient.setClientAuthenticatorType(KeycloakModelUtils.getDefaultClientAuthenticatorType());
        }
        if (!newClient.isPublicClient() && (newClient.getSecret() == null || newClient.getSecret().isEmpty())) {
            KeycloakModelUtils.generateSecret(newClient);
        }
        if (rep.getProtocolMappers() == null) {
            // the legacy hash covers user, name and groups only: such a client gets no telephone mapper
            boolean legacy = new MydbrClient(newClient).legacyHash();
            getBuiltinMappers().entrySet().stream().filter(e -> !legacy || e.getKey().equals(GROUPS_MAPPER))
                    .forEach(e -> newClient.addProtocolMapper(e.getValue()));
        }
    }
}

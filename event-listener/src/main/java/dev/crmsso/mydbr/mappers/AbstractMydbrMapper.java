package dev.crmsso.mydbr.mappers;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.provider.ProviderConfigProperty;

import dev.crmsso.mydbr.MydbrClient;
import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrUserParameters;

/** What every myDBR mapper shares: its protocol, its category, and being its own stateless factory. */
public abstract class AbstractMydbrMapper implements ProtocolMapper, MydbrParameterMapper {

    /** Config key of the mappers that write one parameter. */
    public static final String PARAMETER = "mydbr.parameter";

    private final String id;
    private final String displayType;
    private final String helpText;
    private final List<ProviderConfigProperty> config;

    protected AbstractMydbrMapper(String id, String displayType, String helpText, List<ProviderConfigProperty> config) {
        this.id = id;
        this.displayType = displayType;
        this.helpText = helpText;
        this.config = config;
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final String getDisplayType() {
        return displayType;
    }

    @Override
    public final String getHelpText() {
        return helpText;
    }

    @Override
    public final List<ProviderConfigProperty> getConfigProperties() {
        return config;
    }

    static ProviderConfigProperty parameterProperty() {
        ProviderConfigProperty p = new ProviderConfigProperty(PARAMETER, "myDBR parameter",
                "Parameter of the signed response this mapper sets: telephone, extra1, extra2, ... (or name, email "
                        + "to override what the protocol sends). An extra must be within the client's mydbr.extras.accepted.",
                ProviderConfigProperty.STRING_TYPE, MydbrConstants.PARAM_TELEPHONE);
        p.setRequired(true);
        return p;
    }

    /** Refuses a parameter myDBR would not read (or {@code groups}/{@code admin}, which have their own mappers). */
    static void validateParameter(ProtocolMapperModel model) throws ProtocolMapperConfigException {
        String parameter = model.getConfig().get(PARAMETER);
        if (!MydbrUserParameters.isSettable(parameter)) {
            // the message key is what the admin console shows; Keycloak needs one to answer 400
            throw new ProtocolMapperConfigException("myDBR parameter must be one of name, email, telephone, "
                    + "extra1, extra2, ...: " + parameter, MydbrConstants.MSG_INVALID_MAPPER_PARAMETER, String.valueOf(parameter));
        }
    }

    @Override
    public String getProtocol() {
        return MydbrConstants.PROTOCOL;
    }

    @Override
    public String getDisplayCategory() {
        return "myDBR parameter";
    }

    /**
     * A mapper that writes one chosen parameter may only write one myDBR reads; on a legacy client only what the
     * legacy hash covers.
     */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        if (getConfigProperties().stream().anyMatch(p -> PARAMETER.equals(p.getName()))) {
            validateParameter(mapperModel);
        }
        if (client instanceof ClientModel c && new MydbrClient(c).legacyHash() && !coveredByLegacyHash(mapperModel)) {
            throw new ProtocolMapperConfigException("the client signs the legacy hash sha1(user + name + groups + token"
                    + " + secret): a mapper may send only name or groups", MydbrConstants.MSG_LEGACY_MAPPER);
        }
    }

    /** For the mappers that write one chosen parameter: only {@code name} is in the legacy hash. */
    static boolean writesName(ProtocolMapperModel mapping) {
        return MydbrConstants.PARAM_NAME.equals(mapping.getConfig().get(PARAMETER));
    }

    @Override
    public ProtocolMapper create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}

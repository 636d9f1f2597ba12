package dev.crmsso.mydbr.mappers;

import java.util.List;
import java.util.Optional;

import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.ProtocolMapper;
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

    /**
     * Every myDBR mapper's labels and help texts are message keys of this JAR's theme-resources/messages (en, es, pt, fr, de): Keycloak
     * 26.7's admin console shows them through its translator, {@code t(label)} and {@code t(helpText)} in every
     * component of components/dynamic, and merges a provider JAR's theme messages into the admin theme's. The
     * option values of a list are shown as they are, so they stay plain.
     */
    @Override
    public final List<ProviderConfigProperty> getConfigProperties() {
        return config;
    }

    static ProviderConfigProperty parameterProperty() {
        ProviderConfigProperty p = new ProviderConfigProperty(PARAMETER, "mydbrSettingParameter", "mydbrSettingParameterHelp",
                ProviderConfigProperty.STRING_TYPE, MydbrConstants.PARAM_TELEPHONE);
        p.setRequired(true);
        return p;
    }


    @Override
    public String getProtocol() {
        return MydbrConstants.PROTOCOL;
    }

    @Override
    public String getDisplayCategory() {
        return "myDBR parameter";
    }

    /** Refuses a save whose settings {@link #refusal} finds wrong, in the admin's language (see {@link MapperRefusal}). */
    @Override
    public final void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                                     ProtocolMapperModel mapperModel) {
        Optional<MapperRefusal> refusal = refusal(client, mapperModel);
        if (refusal.isPresent()) {
            throw refusal.get().answer(session, realm, client, mapperModel);
        }
    }

    /**
     * What is wrong with these settings, if anything: a mapper that writes one chosen parameter may only write one
     * myDBR reads (not {@code groups}/{@code admin}, which have their own mappers, nor {@code user}); on a legacy
     * client only what the legacy hash covers. Mappers with settings of their own add their checks.
     */
    protected Optional<MapperRefusal> refusal(ProtocolMapperContainerModel client, ProtocolMapperModel mapperModel) {
        String parameter = mapperModel.getConfig().get(PARAMETER);
        if (getConfigProperties().stream().anyMatch(p -> PARAMETER.equals(p.getName()))
                && !MydbrUserParameters.isSettable(parameter)) {
            return Optional.of(new MapperRefusal(MydbrConstants.MSG_INVALID_MAPPER_PARAMETER, String.valueOf(parameter)));
        }
        if (client instanceof ClientModel c && new MydbrClient(c).legacyHash() && !coveredByLegacyHash(mapperModel)) {
            return Optional.of(new MapperRefusal(MydbrConstants.MSG_LEGACY_MAPPER));
        }
        return Optional.empty();
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

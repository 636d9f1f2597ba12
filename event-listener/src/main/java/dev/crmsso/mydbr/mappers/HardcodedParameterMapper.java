package dev.crmsso.mydbr.mappers;

import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

import dev.crmsso.mydbr.MydbrUserParameters;

/** The same value for every user of the client, e.g. {@code extra2 = site-lima}. */
@AutoService(ProtocolMapper.class)
public class HardcodedParameterMapper extends AbstractMydbrMapper {

    public static final String ID = "mydbr-hardcoded-value-mapper";
    public static final String VALUE = "mydbr.value";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            parameterProperty(),
            new ProviderConfigProperty(VALUE, "mydbrSettingValue", "mydbrSettingValueHelp",
                    ProviderConfigProperty.STRING_TYPE, null));

    public HardcodedParameterMapper() {
        super(ID, "Hardcoded value",
                "Sends a fixed value as a myDBR SSO parameter.", CONFIG);
    }

    @Override
    public void map(MydbrUserParameters parameters, ProtocolMapperModel mapping, KeycloakSession session,
                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        parameters.set(mapping.getConfig().get(PARAMETER), mapping.getConfig().get(VALUE));
    }

    @Override
    public boolean coveredByLegacyHash(ProtocolMapperModel mapping) {
        return writesName(mapping);
    }
}

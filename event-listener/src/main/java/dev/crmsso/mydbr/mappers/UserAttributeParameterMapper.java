package dev.crmsso.mydbr.mappers;

import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrUserParameters;

/** A user attribute into a parameter, e.g. {@code phone → telephone} or {@code organisationId → extra1}. */
@AutoService(ProtocolMapper.class)
public class UserAttributeParameterMapper extends AbstractMydbrMapper {

    public static final String ID = "mydbr-user-attribute-mapper";
    public static final String USER_ATTRIBUTE = "user.attribute";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            new ProviderConfigProperty(USER_ATTRIBUTE, "mydbrSettingUserAttribute", "mydbrSettingUserAttributeHelp",
                    ProviderConfigProperty.USER_PROFILE_ATTRIBUTE_LIST_TYPE, null),
            parameterProperty());

    public UserAttributeParameterMapper() {
        super(ID, "User attribute",
                "Sends a user attribute as a myDBR SSO parameter (telephone, extraN, ...).", CONFIG);
    }

    /** A mapper model for {@code attribute → parameter}, as new clients get for the telephone. */
    public static ProtocolMapperModel model(String name, String attribute, String parameter) {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName(name);
        model.setProtocol(MydbrConstants.PROTOCOL);
        model.setProtocolMapper(ID);
        model.setConfig(Map.of(USER_ATTRIBUTE, attribute, PARAMETER, parameter));
        return model;
    }

    @Override
    public void map(MydbrUserParameters parameters, ProtocolMapperModel mapping, KeycloakSession session,
                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        String attribute = mapping.getConfig().get(USER_ATTRIBUTE);
        String value = attribute == null ? null : userSession.getUser().getFirstAttribute(attribute);
        parameters.set(mapping.getConfig().get(PARAMETER), value);
    }

    @Override
    public boolean coveredByLegacyHash(ProtocolMapperModel mapping) {
        return writesName(mapping);
    }
}

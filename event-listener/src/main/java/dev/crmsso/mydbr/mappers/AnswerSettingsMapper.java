package dev.crmsso.mydbr.mappers;

import java.util.List;
import java.util.Optional;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrUserParameters;

/**
 * The client's myDBR settings as a form in the admin console. Keycloak's console has no form for the client
 * attributes of a protocol other than OIDC and SAML; protocol mappers are the one place it renders a custom
 * protocol's settings with help texts. This mapper sets nothing itself: the protocol reads its values (see
 * {@code MydbrClient}), which take precedence over the client attributes of the same names.
 */
@AutoService(ProtocolMapper.class)
public class AnswerSettingsMapper extends AbstractMydbrMapper {

    public static final String ID = "mydbr-answer-settings";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            new ProviderConfigProperty(MydbrConstants.ATTR_EXTRAS_ACCEPTED, "mydbrSettingExtrasAccepted", "mydbrSettingExtrasAcceptedHelp",
                    ProviderConfigProperty.INTEGER_TYPE, String.valueOf(MydbrConstants.DEFAULT_EXTRAS_ACCEPTED)),
            new ProviderConfigProperty(MydbrConstants.ATTR_USER_VALUE, "mydbrSettingUserValue", "mydbrSettingUserValueHelp",
                    ProviderConfigProperty.LIST_TYPE, MydbrConstants.USER_VALUE_USERNAME,
                    MydbrConstants.USER_VALUE_USERNAME, MydbrConstants.USER_VALUE_ID),
            new ProviderConfigProperty(MydbrConstants.ATTR_LOCAL_ACCOUNTS, "mydbrSettingLocalAccounts", "mydbrSettingLocalAccountsHelp",
                    ProviderConfigProperty.STRING_TYPE, MydbrConstants.DEFAULT_LOCAL_ACCOUNTS),
            new ProviderConfigProperty(MydbrConstants.ATTR_URL_PARAMETER, "mydbrSettingUrlParameter", "mydbrSettingUrlParameterHelp",
                    ProviderConfigProperty.STRING_TYPE, MydbrConstants.PARAM_URL),
            new ProviderConfigProperty(MydbrConstants.ATTR_LEGACY_HASH, "mydbrSettingLegacyHash", "mydbrSettingLegacyHashHelp",
                    ProviderConfigProperty.BOOLEAN_TYPE, "false"),
            new ProviderConfigProperty(MydbrConstants.ATTR_ADMIN_ROLE, "mydbrSettingAdminRole", "mydbrSettingAdminRoleHelp",
                    ProviderConfigProperty.STRING_TYPE, MydbrConstants.DEFAULT_ADMIN_ROLE));

    public AnswerSettingsMapper() {
        super(ID, "Answer settings",
                "The client's myDBR settings: the extras myDBR hashes, what user carries, myDBR's local accounts, the "
                        + "return URL parameter, the legacy hash, the admin role. One per client; its values replace the "
                        + "client attributes of the same names.", CONFIG);
    }

    @Override
    protected Optional<MapperRefusal> refusal(ProtocolMapperContainerModel client, ProtocolMapperModel mapperModel) {
        String extras = mapperModel.getConfig().get(MydbrConstants.ATTR_EXTRAS_ACCEPTED);
        if (extras != null && !extras.isBlank() && !extras.strip().matches("[0-9]{1,3}")) {
            return Optional.of(new MapperRefusal(MydbrConstants.MSG_INVALID_EXTRAS_ACCEPTED, extras));
        }
        return super.refusal(client, mapperModel);
    }

    /** The settings are read by the protocol; the answer gets nothing from here. */
    @Override
    public void map(MydbrUserParameters parameters, ProtocolMapperModel mapping, KeycloakSession session,
                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
    }

    @Override
    public boolean coveredByLegacyHash(ProtocolMapperModel mapping) {
        return true;
    }
}

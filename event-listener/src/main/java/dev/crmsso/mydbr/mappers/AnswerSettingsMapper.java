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
            new ProviderConfigProperty(MydbrConstants.ATTR_EXTRAS_ACCEPTED, "Extras myDBR hashes",
                    "How many extras (extra1 ... extraN) myDBR adds to its hash: set it to myDBR's "
                            + "$mydbr_defaults['parameters']['max_sso_extra_parameters'] (myDBR's default is 5), never lower. "
                            + "With 0 myDBR reads no extras and the admin flag is the last character of the signed string; "
                            + "with any, a substring that reads as 1 anywhere after the first character could be cut out as "
                            + "admin=1, so answers that hold one are not signed.",
                    ProviderConfigProperty.INTEGER_TYPE, String.valueOf(MydbrConstants.DEFAULT_EXTRAS_ACCEPTED)),
            new ProviderConfigProperty(MydbrConstants.ATTR_USER_VALUE, "User sent as",
                    "id: a fixed-form id (a UUID), which no other login can be cut out of or grown into, and which needs "
                            + "no lookups. username: the Keycloak username; then every prefix of the answer is looked up "
                            + "among the realm's users, and an answer another username can be cut out of is not signed.",
                    ProviderConfigProperty.LIST_TYPE, MydbrConstants.USER_VALUE_USERNAME,
                    MydbrConstants.USER_VALUE_USERNAME, MydbrConstants.USER_VALUE_ID),
            new ProviderConfigProperty(MydbrConstants.ATTR_LOCAL_ACCOUNTS, "myDBR local accounts",
                    "myDBR's own accounts (comma-separated), which an answer must never be re-split into, e.g. admin.",
                    ProviderConfigProperty.STRING_TYPE, MydbrConstants.DEFAULT_LOCAL_ACCOUNTS),
            new ProviderConfigProperty(MydbrConstants.ATTR_URL_PARAMETER, "Return URL parameter",
                    "The request parameter that carries myDBR's return URL: myDBR's "
                            + "$mydbr_defaults['single_sign_on']['url_parameter'] (url; mobile for SugarCRM 6).",
                    ProviderConfigProperty.STRING_TYPE, MydbrConstants.PARAM_URL),
            new ProviderConfigProperty(MydbrConstants.ATTR_LEGACY_HASH, "Legacy hash",
                    "Sign as old myDBR versions and the SugarCRM example expect, sha1(user + name + groups + token + "
                            + "secret), and send only user, name and groups (the rest would travel unsigned).",
                    ProviderConfigProperty.BOOLEAN_TYPE, "false"),
            new ProviderConfigProperty(MydbrConstants.ATTR_ADMIN_ROLE, "Admin role",
                    "Users with this role get admin=1: a role of this client by that name, else a realm role or "
                            + "clientId.role.",
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

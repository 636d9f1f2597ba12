package dev.crmsso.mydbr.mappers;

import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

import dev.crmsso.mydbr.MydbrUserParameters;

/**
 * {@code admin=1} for the holders of one more role (directly, through a composite or a group), on top of the
 * client's admin role setting. A mapper only grants: {@code admin} is 0 unless the setting or a mapper says 1.
 */
@AutoService(ProtocolMapper.class)
public class RoleAdminMapper extends AbstractMydbrMapper {

    public static final String ID = "mydbr-role-admin-mapper";
    public static final String ROLE = "role";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            new ProviderConfigProperty(ROLE, "mydbrSettingRole", "mydbrSettingRoleHelp",
                    ProviderConfigProperty.ROLE_TYPE, null));

    public RoleAdminMapper() {
        super(ID, "Role to admin",
                "Sends admin=1 to myDBR for users who have the chosen role.", CONFIG);
    }

    @Override
    public void map(MydbrUserParameters parameters, ProtocolMapperModel mapping, KeycloakSession session,
                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        String roleName = mapping.getConfig().get(ROLE);
        RoleModel role = roleName == null ? null : KeycloakModelUtils.getRoleFromString(userSession.getRealm(), roleName);
        if (role != null && userSession.getUser().hasRole(role)) {
            parameters.grantAdmin();
        }
    }
}

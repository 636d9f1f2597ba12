package dev.crmsso.mydbr.mappers;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderConfigProperty;

import com.google.auto.service.AutoService;

import dev.crmsso.mydbr.MydbrConstants;
import dev.crmsso.mydbr.MydbrUserParameters;

/**
 * The user's groups (direct memberships, as Keycloak's OIDC group mapper) into {@code groups}.
 * A group whose name or path contains {@code |} is left out, because myDBR would split it into other
 * groups; the admin is warned once per group (per node and start) rather than on every login.
 */
@AutoService(ProtocolMapper.class)
public class GroupMembershipParameterMapper extends AbstractMydbrMapper {

    private static final Logger LOG = Logger.getLogger(GroupMembershipParameterMapper.class);

    public static final String ID = "mydbr-group-membership-mapper";
    public static final String FULL_PATH = "full.path";
    public static final String PARENT_GROUP = "parent.group";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            new ProviderConfigProperty(FULL_PATH, "mydbrSettingFullPath", "mydbrSettingFullPathHelp",
                    ProviderConfigProperty.BOOLEAN_TYPE, "false"),
            new ProviderConfigProperty(PARENT_GROUP, "mydbrSettingParentGroup", "mydbrSettingParentGroupHelp",
                    ProviderConfigProperty.STRING_TYPE, null));

    /** Ids of groups already reported for a {@code |} in their name. */
    private final Set<String> warnedGroups = ConcurrentHashMap.newKeySet();

    public GroupMembershipParameterMapper() {
        super(ID, "Group membership",
                "Sends the user's groups to myDBR, separated by '|'; myDBR then syncs the user's myDBR groups.", CONFIG);
    }

    /** A mapper model sending every group by name, as new clients get. */
    public static ProtocolMapperModel model(String name) {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName(name);
        model.setProtocol(MydbrConstants.PROTOCOL);
        model.setProtocolMapper(ID);
        model.setConfig(Map.of(FULL_PATH, "false"));
        return model;
    }

    @Override
    public void map(MydbrUserParameters parameters, ProtocolMapperModel mapping, KeycloakSession session,
                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        Selection selection = Selection.of(mapping, session, userSession.getRealm());
        userSession.getUser().getGroupsStream().forEach(group -> {
            String sent = selection.sentAs(group);
            if (sent != null && !parameters.addGroup(sent)) {
                warnOnce(group, userSession);
            }
        });
    }

    /** Every value this mapping sends for somebody: what a re-split answer could claim as a group. */
    public static Stream<String> sendable(ProtocolMapperModel mapping, KeycloakSession session, RealmModel realm) {
        Selection selection = Selection.of(mapping, session, realm);
        return session.groups().getGroupsStream(realm).map(selection::sentAs).filter(Objects::nonNull);
    }

    /**
     * Which groups a mapping sends, and as what. "Only groups under" is decided by identity, walking the group's
     * parents by id: a top-level group named {@code mydbr/x} has the path {@code /mydbr/x} too, but is not under
     * {@code /mydbr}. A parent that does not exist has nothing under it.
     */
    private record Selection(boolean configured, GroupModel parent, boolean fullPath) {

        static Selection of(ProtocolMapperModel mapping, KeycloakSession session, RealmModel realm) {
            String path = mapping.getConfig().get(PARENT_GROUP);
            boolean configured = path != null && !path.isBlank();
            GroupModel parent = configured ? KeycloakModelUtils.findGroupByPath(session, realm, path.trim()) : null;
            return new Selection(configured, parent, Boolean.parseBoolean(mapping.getConfig().get(FULL_PATH)));
        }

        String sentAs(GroupModel group) {
            if (configured && !strictlyUnder(group)) {
                return null;
            }
            return fullPath ? KeycloakModelUtils.buildGroupPath(group) : group.getName();
        }

        private boolean strictlyUnder(GroupModel group) {
            if (parent == null) {
                return false;
            }
            for (GroupModel g = group.getParent(); g != null; g = g.getParent()) {
                if (g.getId().equals(parent.getId())) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public boolean coveredByLegacyHash(ProtocolMapperModel mapping) {
        return true;
    }

    private void warnOnce(GroupModel group, UserSessionModel userSession) {
        if (warnedGroups.add(group.getId())) {
            LOG.warnf("myDBR SSO: group '%s' (realm %s) is not sent to myDBR because its name contains '|', "
                    + "myDBR's group separator; rename it to send it", group.getName(), userSession.getRealm().getName());
        }
    }
}

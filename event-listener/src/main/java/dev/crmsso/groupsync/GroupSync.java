package dev.crmsso.groupsync;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.storage.ReadOnlyException;

/**
 * Makes a user's memberships below the managed parent group equal to the attribute's values,
 * in the caller's session and transaction. Groups outside the parent are never touched; a login
 * with nothing to change reads the user's groups once and writes nothing.
 */
final class GroupSync {

    private static final Logger LOG = Logger.getLogger(GroupSync.class);

    private final GroupSyncConfig config;

    GroupSync(GroupSyncConfig config) {
        this.config = config;
    }

    void apply(KeycloakSession session, RealmModel realm, UserModel user, String ipAddress) {
        String prefix = config.parentGroup() + "/";
        Map<String, GroupModel> current = user.getGroupsStream()
                .collect(Collectors.toMap(ModelToRepresentation::buildGroupPath, g -> g, (a, b) -> a))
                .entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(e -> e.getKey().substring(prefix.length()), Map.Entry::getValue));
        List<String> wanted = user.getAttributeStream(config.attribute()).toList();
        GroupSyncPlan plan = GroupSyncPlan.of(wanted, current.keySet());
        if (!plan.rejected().isEmpty()) {
            LOG.warnf("%s: skipped %d value(s) of %s for user %s in realm %s: %s", GroupSyncConfig.PROVIDER_ID,
                    plan.rejected().size(), config.attribute(), user.getUsername(), realm.getName(), plan.rejected());
        }
        if (plan.changesNothing()) {
            return;
        }
        try {
            change(session, realm, user, ipAddress, plan, current, prefix);
        } catch (ReadOnlyException e) {
            // a user whose storage keeps no group memberships (a read-only federation): never fail the login
            LOG.warnf("%s: cannot change the groups of %s in realm %s: %s", GroupSyncConfig.PROVIDER_ID,
                    user.getUsername(), realm.getName(), e.getMessage());
        }
    }

    private void change(KeycloakSession session, RealmModel realm, UserModel user, String ipAddress, GroupSyncPlan plan,
            Map<String, GroupModel> current, String prefix) {
        MembershipEvents events = new MembershipEvents(session, realm, user, ipAddress);
        for (String path : plan.leave()) {
            GroupModel group = current.get(path);
            user.leaveGroup(group);
            events.record(OperationType.DELETE, group);
        }
        for (String path : plan.join()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, prefix + path);
            if (group == null && config.createGroups()) {
                group = create(session, realm, prefix + path, events);
            }
            if (group == null) {
                LOG.warnf("%s: group %s%s does not exist and creating groups is off", GroupSyncConfig.PROVIDER_ID,
                        prefix, path);
                continue;
            }
            user.joinGroup(group);
            events.record(OperationType.CREATE, group);
        }
        LOG.debugf("%s: %s joined %s, left %s", GroupSyncConfig.PROVIDER_ID, user.getUsername(), plan.join(), plan.leave());
    }

    /** Creates the missing groups of a path, top down, and returns the last. */
    private static GroupModel create(KeycloakSession session, RealmModel realm, String path, MembershipEvents events) {
        GroupModel parent = null;
        StringBuilder walked = new StringBuilder();
        for (String name : path.substring(1).split("/")) {
            walked.append('/').append(name);
            GroupModel existing = KeycloakModelUtils.findGroupByPath(session, realm, walked.toString());
            if (existing == null) {
                existing = session.groups().createGroup(realm, name, parent);
                events.groupCreated(existing);
            }
            parent = existing;
        }
        return parent;
    }
}

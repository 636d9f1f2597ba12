package dev.crmsso.groupsync;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.ReadOnlyException;

import dev.crmsso.groupsync.GroupSyncPlan.Membership;

/**
 * Makes a user's memberships below the managed parent group equal to the values of the kinds' attributes, in the
 * caller's session and transaction. Groups outside the parent are never touched; a login with nothing to change
 * reads the user's groups once and writes nothing. Runs once per request: the early hook and the listener of one
 * login do not both sync (nor warn twice).
 */
final class GroupSync {

    private static final Logger LOG = Logger.getLogger(GroupSync.class);
    /** Request attribute: the users already synced in this request. */
    private static final String SYNCED = GroupSyncConfig.PROVIDER_ID + ".synced";

    private final GroupSyncConfig config;

    GroupSync(GroupSyncConfig config) {
        this.config = config;
    }

    /** Syncs, and never fails the login: a failure is a warning (the user keeps the groups they had). */
    void applyOnce(KeycloakSession session, RealmModel realm, UserModel user) {
        @SuppressWarnings("unchecked")
        Set<String> synced = (Set<String>) session.getAttribute(SYNCED);
        if (synced == null) {
            synced = new LinkedHashSet<>();
            session.setAttribute(SYNCED, synced);
        }
        if (!synced.add(user.getId())) {
            return;
        }
        try {
            apply(session, realm, user);
        } catch (ReadOnlyException e) {
            // a user whose storage keeps no group memberships (a read-only federation)
            LOG.warnf("%s: cannot change the groups of %s in realm %s: %s", GroupSyncConfig.PROVIDER_ID,
                    user.getUsername(), realm.getName(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: groups of %s in realm %s not synced", GroupSyncConfig.PROVIDER_ID, user.getUsername(),
                    realm.getName());
        }
    }

    private void apply(KeycloakSession session, RealmModel realm, UserModel user) {
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        config.kinds().forEach((kind, attribute) -> wanted.put(kind, user.getAttributeStream(attribute).toList()));
        boolean wantsAny = wanted.values().stream().anyMatch(v -> !v.isEmpty());
        MembershipEvents events = new MembershipEvents(session, realm, user);
        Consumer<GroupModel> created = config.createGroups() ? events::groupCreated : null;
        Optional<ManagedGroups> managed = ManagedGroups.of(session, realm, config.parentGroup(), wantsAny ? created : null);
        if (managed.isEmpty()) {
            if (wantsAny) {
                LOG.warnf("%s: group %s does not exist in realm %s and creating groups is off", GroupSyncConfig.PROVIDER_ID,
                        config.parentGroup(), realm.getName());
            }
            return;
        }
        ManagedGroups groups = managed.get();
        Map<Membership, GroupModel> current = new HashMap<>();
        Map<String, GroupModel> strays = new LinkedHashMap<>();
        user.getGroupsStream().filter(groups::contains).forEach(g -> {
            String kind = groups.kindOf(g);
            if (kind != null && config.kinds().containsKey(kind)) {
                current.put(new Membership(kind, g.getName()), g);
            } else {
                strays.put(g.getId(), g); // below the parent but in no kind's container: not the sync's to keep
            }
        });
        GroupSyncPlan plan = GroupSyncPlan.of(wanted, current.keySet(), config.maxGroups());
        if (!plan.rejected().isEmpty()) {
            LOG.warnf("%s: skipped %d value(s) for user %s in realm %s: %s", GroupSyncConfig.PROVIDER_ID,
                    plan.rejected().size(), user.getUsername(), realm.getName(), plan.rejected());
        }
        if (plan.changesNothing() && strays.isEmpty()) {
            events.sendAfterCommit();
            return;
        }
        for (GroupModel stray : strays.values()) {
            user.leaveGroup(stray);
            events.record(OperationType.DELETE, stray);
        }
        for (Membership m : plan.leave()) {
            GroupModel group = current.get(m);
            user.leaveGroup(group);
            events.record(OperationType.DELETE, group);
        }
        for (Membership m : plan.join()) {
            GroupModel group = groups.group(m.kind(), m.name(), created);
            if (group == null) {
                LOG.warnf("%s: group %s/%s/%s does not exist and creating groups is off", GroupSyncConfig.PROVIDER_ID,
                        config.parentGroup(), m.kind(), m.name());
                continue;
            }
            if (!user.isMemberOf(group)) {
                user.joinGroup(group);
                events.record(OperationType.CREATE, group);
            }
        }
        events.sendAfterCommit();
        LOG.debugf("%s: %s joined %s, left %s", GroupSyncConfig.PROVIDER_ID, user.getUsername(), plan.join(), plan.leave());
    }
}

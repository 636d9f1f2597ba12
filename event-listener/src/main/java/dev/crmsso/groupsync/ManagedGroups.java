package dev.crmsso.groupsync;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The managed parent and its kind containers of one realm, by identity: whether a group lies below the parent is
 * decided by walking its parents' ids, never by its path ({@code /crm/x} is also the path of a top-level group named
 * {@code crm/x}). Missing groups are created each in a transaction of its own, so that logins that need the same new
 * group at the same moment all end with that one group: the loser of the race finds the winner's.
 */
final class ManagedGroups {

    private static final Logger LOG = Logger.getLogger(ManagedGroups.class);

    /** Groups whose names contain the one looked for: the exact one is among the first few. */
    private static final int SEARCH_PAGE = 100;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final GroupModel parent;
    private final Map<String, GroupModel> containers = new HashMap<>();

    private ManagedGroups(KeycloakSession session, RealmModel realm, GroupModel parent) {
        this.session = session;
        this.realm = realm;
        this.parent = parent;
    }

    /** The realm's managed parent; with {@code created} not null, a missing top-level parent is created. */
    static Optional<ManagedGroups> of(KeycloakSession session, RealmModel realm, String parentPath,
                                      Consumer<GroupModel> created) {
        GroupModel parent = KeycloakModelUtils.findGroupByPath(session, realm, parentPath);
        if (parent == null && created != null && parentPath.lastIndexOf('/') == 0) {
            parent = childOf(session, realm, null, parentPath.substring(1), created);
        }
        return Optional.ofNullable(parent).map(p -> new ManagedGroups(session, realm, p));
    }

    GroupModel parent() {
        return parent;
    }

    /** Whether {@code group} is the parent or lies below it. */
    boolean contains(GroupModel group) {
        for (GroupModel g = group; g != null; g = g.getParent()) {
            if (g.getId().equals(parent.getId())) {
                return true;
            }
        }
        return false;
    }

    /** The kind whose container is {@code group}'s parent, or null when it is elsewhere below the parent. */
    String kindOf(GroupModel group) {
        GroupModel up = group.getParent();
        if (up == null || up.getParent() == null || !up.getParent().getId().equals(parent.getId())) {
            return null;
        }
        return up.getName();
    }

    /**
     * The group {@code name} of {@code kind}'s container; with {@code created} not null, created (with the container)
     * when missing, and handed to it.
     */
    GroupModel group(String kind, String name, Consumer<GroupModel> created) {
        GroupModel container = containers.computeIfAbsent(kind, k -> childOf(session, realm, parent, k, created));
        return container == null ? null : childOf(session, realm, container, name, created);
    }

    /** The child of {@code parent} (top level when null) named {@code name}, case ignored; created when asked. */
    private static GroupModel childOf(KeycloakSession session, RealmModel realm, GroupModel parent, String name,
                                      Consumer<GroupModel> created) {
        GroupModel found = find(session, realm, parent, name);
        if (found != null || created == null) {
            return found;
        }
        boolean[] mine = {false};
        String parentId = parent == null ? null : parent.getId();
        String id;
        try {
            id = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
                RealmModel r = s.realms().getRealm(realm.getId());
                GroupModel p = parentId == null ? null : s.groups().getGroupById(r, parentId);
                GroupModel existing = find(s, r, p, name);
                if (existing != null) {
                    return existing.getId();
                }
                mine[0] = true;
                return s.groups().createGroup(r, name, p).getId();
            });
        } catch (ModelDuplicateException e) {
            // another login created it between our look and our commit: theirs is the group
            LOG.debugf("group %s was created by a concurrent login", name);
            mine[0] = false;
            id = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
                RealmModel r = s.realms().getRealm(realm.getId());
                GroupModel existing = find(s, r, parentId == null ? null : s.groups().getGroupById(r, parentId), name);
                return existing == null ? null : existing.getId();
            });
        }
        GroupModel group = id == null ? null : session.groups().getGroupById(realm, id);
        if (group != null && mine[0]) {
            created.accept(group);
        }
        return group;
    }

    private static GroupModel find(KeycloakSession session, RealmModel realm, GroupModel parent, String name) {
        // Keycloak's search by name (a LIKE without case), then an exact comparison without case
        String wanted = name.toLowerCase(Locale.ROOT);
        return (parent == null ? session.groups().getTopLevelGroupsStream(realm, name, false, 0, SEARCH_PAGE)
                : parent.getSubGroupsStream(name, false, 0, SEARCH_PAGE))
                .filter(g -> g.getName().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst().orElse(null);
    }
}

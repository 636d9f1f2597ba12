package dev.crmsso.groupsync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one login changes: from the wanted values of the user's attribute and the user's current
 * groups below the managed parent (paths relative to it), the groups to join and to leave, and the
 * values refused. Pure, so every hostile value is a unit-test row.
 *
 * @param join     relative paths to join (created when missing and allowed)
 * @param leave    relative paths to leave
 * @param rejected values skipped, each with its reason, for a warning
 */
record GroupSyncPlan(Set<String> join, Set<String> leave, List<String> rejected) {

    /** Keycloak's group name column holds 255 characters. */
    static final int MAX_NAME_LENGTH = 255;
    /** More wanted groups than any real account has; the rest of a hostile list is skipped. */
    static final int MAX_VALUES = 200;
    static final int MAX_DEPTH = 5;

    static GroupSyncPlan of(Collection<String> wanted, Collection<String> current) {
        Set<String> target = new LinkedHashSet<>();
        List<String> rejected = new ArrayList<>();
        int seen = 0;
        for (String value : wanted) {
            if (++seen > MAX_VALUES) {
                rejected.add((wanted.size() - MAX_VALUES) + " more values (at most " + MAX_VALUES + ")");
                break;
            }
            String reason = problem(value);
            if (reason == null) {
                target.add(normalise(value));
            } else {
                rejected.add("'" + abbreviate(value) + "': " + reason);
            }
        }
        Set<String> join = new LinkedHashSet<>(target);
        join.removeAll(current);
        Set<String> leave = new LinkedHashSet<>(current);
        leave.removeAll(target);
        return new GroupSyncPlan(join, leave, rejected);
    }

    boolean changesNothing() {
        return join.isEmpty() && leave.isEmpty();
    }

    /** Why a value cannot name a group below the parent, or null when it can. */
    static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "empty";
        }
        String v = value.strip();
        if (v.startsWith("/")) {
            return "absolute path: values are relative to the managed parent";
        }
        String[] names = v.split("/", -1);
        if (names.length > MAX_DEPTH) {
            return "deeper than " + MAX_DEPTH + " levels";
        }
        for (String name : names) {
            String n = name.strip();
            if (n.isEmpty()) {
                return "empty group name";
            }
            if (n.equals(".") || n.equals("..")) {
                return "'.' and '..' are not group names";
            }
            if (n.length() > MAX_NAME_LENGTH) {
                return "name longer than " + MAX_NAME_LENGTH;
            }
            if (n.chars().anyMatch(Character::isISOControl)) {
                return "control character";
            }
        }
        return null;
    }

    private static String normalise(String value) {
        return String.join("/", java.util.Arrays.stream(value.strip().split("/")).map(String::strip).toList());
    }

    private static String abbreviate(String value) {
        String v = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}

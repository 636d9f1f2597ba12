package dev.crmsso.groupsync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one login changes: from the wanted values of each kind (CRM account, groups) and the user's current
 * memberships in the managed containers, the groups to join and to leave, and the values refused. Pure, so every
 * hostile value is a unit-test row.
 * <p>
 * A value names <b>one</b> group inside its kind's container, never a path: a CRM account called {@code staff/x}
 * or a claim {@code ../admin} must not create a group elsewhere, nest under another group, or land among the other
 * kind's groups. Such values are refused (see {@link #problem}) rather than escaped, because their escaped path
 * would still reach myDBR and the OIDC {@code groups} claim with a {@code /} that reads as nesting. Names compare
 * without case, as myDBR's database does, so {@code Sales} and {@code sales} are one group.
 *
 * @param join     memberships to take (groups created when missing and allowed)
 * @param leave    memberships to drop
 * @param rejected values skipped, each with its reason, for one warning
 */
record GroupSyncPlan(Set<Membership> join, Set<Membership> leave, List<String> rejected) {

    /** One group of a kind's container, by name. Equal without regard to case. */
    record Membership(String kind, String name) {
        Membership {
            name = name.strip();
        }

        String key() {
            return kind + "\u0000" + name.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Membership m && key().equals(m.key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }
    }

    /** Keycloak's group name column holds 255 characters. */
    static final int MAX_NAME_LENGTH = 255;

    /**
     * @param wanted  the raw values of each kind, in order
     * @param current the user's memberships in the containers
     * @param max     how many groups one login may hold (and so join or create) in all kinds
     */
    static GroupSyncPlan of(Map<String, List<String>> wanted, Set<Membership> current, int max) {
        Set<Membership> target = new LinkedHashSet<>();
        List<String> rejected = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, List<String>> kind : wanted.entrySet()) {
            for (String value : kind.getValue()) {
                String reason = problem(value);
                if (reason != null) {
                    rejected.add("'" + abbreviate(value) + "': " + reason);
                } else if (target.size() < max || target.contains(new Membership(kind.getKey(), value))) {
                    target.add(new Membership(kind.getKey(), value));
                } else {
                    skipped++;
                }
            }
        }
        if (skipped > 0) {
            rejected.add(skipped + " more value(s): at most " + max + " groups a login");
        }
        Set<Membership> join = new LinkedHashSet<>(target);
        join.removeAll(current);
        Set<Membership> leave = new LinkedHashSet<>(current);
        leave.removeAll(target);
        return new GroupSyncPlan(join, leave, rejected);
    }

    boolean changesNothing() {
        return join.isEmpty() && leave.isEmpty();
    }

    /**
     * Why a value cannot name a group, or null when it can. Refused: blank; {@code /} (nesting) and {@code ~}
     * (Keycloak's escape in group paths); {@code |} (myDBR's group separator); {@code .} and {@code ..}; control and
     * invisible format characters (a name that looks like another); more than {@value #MAX_NAME_LENGTH} characters.
     */
    static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "empty";
        }
        String v = value.strip();
        if (v.length() > MAX_NAME_LENGTH) {
            return "longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (v.equals(".") || v.equals("..")) {
            return "'.' and '..' are not group names";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '/' || c == '~') {
                return "'" + c + "': a value names one group, not a path";
            }
            if (c == '|') {
                return "'|' splits groups in myDBR";
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return "control or invisible character U+%04X".formatted((int) c);
            }
        }
        return null;
    }

    private static String abbreviate(String value) {
        String v = value == null ? "" : value.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}

package dev.crmsso.mydbr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user as myDBR receives it: the values the protocol sends back, filled by the protocol
 * (username, full name, email) and then by the client's protocol mappers.
 */
public final class MydbrUserParameters {

    private static final Pattern EXTRA = Pattern.compile(MydbrConstants.PARAM_EXTRA_PREFIX + "([1-9][0-9]{0,2})");

    private final String user;
    private String name = "";
    private String email = "";
    private String telephone = "";
    private boolean admin;
    private final Set<String> groups = new LinkedHashSet<>();
    private final Map<Integer, String> extras = new TreeMap<>();

    public MydbrUserParameters(String user, String name, String email) {
        this.user = nullToEmpty(user);
        this.name = nullToEmpty(name);
        this.email = nullToEmpty(email);
    }

    /**
     * Whether a mapper may write {@code parameter}: name, email, telephone or extraN (N from 1 to 999). {@code user}
     * is the client's choice ({@value MydbrConstants#ATTR_USER_VALUE}): the forgery guard must know what identities
     * look like to tell whether a re-split {@code user} is somebody else.
     */
    public static boolean isSettable(String parameter) {
        return parameter != null && (MydbrConstants.PARAM_NAME.equals(parameter)
                || MydbrConstants.PARAM_EMAIL.equals(parameter) || MydbrConstants.PARAM_TELEPHONE.equals(parameter)
                || EXTRA.matcher(parameter).matches());
    }

    /** Sets one of the {@link #isSettable settable} parameters; a null value is sent as empty. */
    public void set(String parameter, String value) {
        String v = nullToEmpty(value);
        switch (parameter) {
            case MydbrConstants.PARAM_NAME -> name = v;
            case MydbrConstants.PARAM_EMAIL -> email = v;
            case MydbrConstants.PARAM_TELEPHONE -> telephone = v;
            default -> {
                Matcher m = EXTRA.matcher(parameter);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a parameter a mapper may set: " + parameter);
                }
                extras.put(Integer.valueOf(m.group(1)), v);
            }
        }
    }

    /**
     * Adds a group. myDBR splits {@code groups} on {@code |}, so a name that contains one cannot be sent
     * without turning into other groups: it is refused and the caller decides what to tell the admin.
     *
     * @return false when the name contains {@code |} and was not added
     */
    public boolean addGroup(String group) {
        if (group.indexOf(MydbrConstants.GROUP_SEPARATOR) >= 0) {
            return false;
        }
        groups.add(group);
        return true;
    }

    public void grantAdmin() {
        admin = true;
    }

    public String user() {
        return user;
    }

    public String name() {
        return name;
    }

    public String groups() {
        return String.join(String.valueOf(MydbrConstants.GROUP_SEPARATOR), groups);
    }

    public String email() {
        return email;
    }

    public String telephone() {
        return telephone;
    }

    public String admin() {
        return admin ? "1" : "0";
    }

    /** extra1 + extra2 + ... in the order of their numbers, as they enter the hash. */
    public String extras() {
        return String.join("", extras.values());
    }

    /** extraN, empty when no mapper set it. */
    public String extra(int n) {
        return extras.getOrDefault(n, "");
    }

    /** The numbers of the extras set, in order. */
    public Set<Integer> extraNumbers() {
        return extras.keySet();
    }

    /** The group names as sent, once each. */
    public Set<String> groupNames() {
        return Collections.unmodifiableSet(groups);
    }

    /**
     * The parameters in protocol order, without the hash; {@code groups} is always present, even empty. Legacy mode
     * sends only what its hash covers: user, name, groups.
     */
    public Map<String, String> asQueryParameters(boolean legacy) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put(MydbrConstants.PARAM_USER, user);
        query.put(MydbrConstants.PARAM_NAME, name);
        query.put(MydbrConstants.PARAM_GROUPS, groups());
        if (legacy) {
            return query;
        }
        query.put(MydbrConstants.PARAM_EMAIL, email);
        query.put(MydbrConstants.PARAM_TELEPHONE, telephone);
        query.put(MydbrConstants.PARAM_ADMIN, admin());
        extras.forEach((n, v) -> query.put(MydbrConstants.PARAM_EXTRA_PREFIX + n, v));
        return query;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

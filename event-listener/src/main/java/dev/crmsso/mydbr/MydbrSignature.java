package dev.crmsso.mydbr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The two SHA-1 hashes of the myDBR SSO protocol, bound to one client's SSO secret.
 * All values enter the hash raw (not URL-encoded), as UTF-8, and the hash is lower-case hex,
 * which is what PHP's {@code sha1()} on myDBR's side produces.
 */
public final class MydbrSignature {

    private final String secret;

    public MydbrSignature(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a myDBR client needs a secret");
        }
        this.secret = secret;
    }

    /** {@code sha1(url + token + secret)}: what myDBR sends with its login request. */
    public String requestHash(String url, String token) {
        return sha1(url, token, secret);
    }

    /** Whether the request's hash was made with this secret; compared in constant time. */
    public boolean verifiesRequest(String url, String token, String hash) {
        if (hash == null) {
            return false;
        }
        byte[] expected = requestHash(url, token).getBytes(StandardCharsets.US_ASCII);
        byte[] given = hash.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * {@code sha1(user + name + groups + email + telephone + admin + extras + token + secret)}, or with
     * {@code legacy} the older {@code sha1(user + name + groups + token + secret)} of myDBR's SugarCRM example.
     */
    public String responseHash(MydbrUserParameters p, String token, boolean legacy) {
        if (legacy) {
            return sha1(p.user(), p.name(), p.groups(), token, secret);
        }
        return sha1(p.user(), p.name(), p.groups(), p.email(), p.telephone(), p.admin(), p.extras(), token, secret);
    }

    private static String sha1(String... parts) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha1.digest());
    }
}

package dev.crmsso.mydbr;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Builds the URL the browser is sent back to: myDBR's return URL with the signed user appended. */
public final class MydbrRedirect {

    /** Characters RFC 3986 allows as they are in a URI (unreserved, reserved, and '%' of an escape). */
    private static final String URI_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%";

    private MydbrRedirect() {
    }

    /**
     * Appends the parameters and the hash to {@code url}, URL-encoded as UTF-8 (form encoding, as PHP's
     * {@code urlencode}); an existing query string is kept and a fragment stays last.
     */
    public static URI to(String url, Map<String, String> parameters, String hash) {
        int fragmentAt = url.indexOf('#');
        String base = fragmentAt < 0 ? url : url.substring(0, fragmentAt);
        String fragment = fragmentAt < 0 ? "" : url.substring(fragmentAt);

        StringBuilder target = new StringBuilder(base);
        if (base.indexOf('?') < 0) {
            target.append('?');
        } else if (!base.endsWith("?") && !base.endsWith("&")) {
            target.append('&');
        }
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        query.add(MydbrConstants.PARAM_HASH + "=" + URLEncoder.encode(hash, StandardCharsets.UTF_8));
        return ascii(target.append(query).append(fragment).toString());
    }

    /**
     * {@code url} as a URI of ASCII characters only: every other character percent-encoded as UTF-8. An HTTP header
     * carries Latin-1 at most, so a {@code Location} with other characters reaches the browser mangled (a CJK
     * character became {@code ?}, which starts a query); encoded, myDBR parses exactly the URL that was allowed.
     */
    public static URI ascii(String url) {
        StringBuilder out = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            boolean escape = c == '%' && isHex(url, i + 1) && isHex(url, i + 2);
            if (escape || (c != '%' && URI_CHARACTERS.indexOf(c) >= 0)) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < url.length() ? i + 2 : i + 1;
            for (byte b : url.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i = end - 1;
        }
        return URI.create(out.toString());
    }

    private static boolean isHex(String s, int at) {
        return at < s.length() && Character.digit(s.charAt(at), 16) >= 0;
    }
}

package dev.crmsso.mydbr;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the URL the browser is sent back to: myDBR's return URL with the signed user appended. */
public final class MydbrRedirect {

    private MydbrRedirect() {
    }

    /**
     * Appends the parameters and the hash to {@code url}, URL-encoded as UTF-8 (form encoding, as PHP's
     * {@code urlencode}); an existing query string is kept and a fragment stays last.
     */
    public static String to(String url, Map<String, String> parameters, String hash) {
        int fragmentAt = url.indexOf('#');
        String base = fragmentAt < 0 ? url : url.substring(0, fragmentAt);
        String fragment = fragmentAt < 0 ? "" : url.substring(fragmentAt);

        StringBuilder target = new StringBuilder(base);
        char separator = base.indexOf('?') < 0 ? '?' : (base.endsWith("?") || base.endsWith("&") ? 0 : '&');
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            append(target, separator, p.getKey(), p.getValue());
            separator = '&';
        }
        append(target, separator, MydbrConstants.PARAM_HASH, hash);
        return target.append(fragment).toString();
    }

    private static void append(StringBuilder target, char separator, String name, String value) {
        if (separator != 0) {
            target.append(separator);
        }
        target.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}

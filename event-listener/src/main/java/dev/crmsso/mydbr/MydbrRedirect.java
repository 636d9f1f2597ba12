package dev.crmsso.mydbr;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

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
        if (base.indexOf('?') < 0) {
            target.append('?');
        } else if (!base.endsWith("?") && !base.endsWith("&")) {
            target.append('&');
        }
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        query.add(MydbrConstants.PARAM_HASH + "=" + URLEncoder.encode(hash, StandardCharsets.UTF_8));
        return target.append(query).append(fragment).toString();
    }
}

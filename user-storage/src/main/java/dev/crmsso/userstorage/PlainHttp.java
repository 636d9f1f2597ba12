package dev.crmsso.userstorage;

import java.net.URI;
import java.util.Locale;

/**
 * Plain {@code http://} to the CRM carries the API user's access-key hash, its session id and every
 * contact's {@code md5(token + password)} in clear text: refused unless the CRM is on this machine
 * (loopback) or an admin turns on "Allow plain http" for the federation.
 */
final class PlainHttp {

    private PlainHttp() {
    }

    /** Why this URL is refused, or null when it may be used. */
    static String refusal(URI baseUrl, boolean allowed) {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme)) {
            return null;
        }
        if (!"http".equals(scheme)) {
            return "CRM base URL must start with https:// (or http:// to this machine)";
        }
        if (allowed || isLoopback(baseUrl.getHost())) {
            return null;
        }
        return "Plain http:// to " + baseUrl.getHost() + " is refused: contacts' password hashes and the API "
                + "session would travel in clear text. Use https://, or turn on \"Allow plain http\"";
    }

    /** Whether plain http is in use to another machine because the admin allowed it (warned at start-up). */
    static boolean allowedToAnotherHost(URI baseUrl, boolean allowed) {
        return allowed && "http".equalsIgnoreCase(baseUrl.getScheme()) && !isLoopback(baseUrl.getHost());
    }

    /** localhost, 127.0.0.0/8, ::1, by name only (no DNS look-up). */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}

package dev.crmsso.authenticator;

import org.keycloak.utils.StringUtil;

/**
 * Makes a value from outside (a claim, an alias) safe to put in a log line: what Keycloak's own
 * event logger does to event values ({@code StringUtil.sanitizeSpacesAndQuotes}: line breaks, tabs
 * and other white space become spaces), and every other control or line-separator character a
 * log viewer might break a line at becomes a space too. A claim can then never start a line of
 * its own, such as a forged {@code INFO ... Added user 'admin'}.
 */
final class LogText {

    private LogText() {
    }

    static String of(String value) {
        if (value == null) {
            return "";
        }
        String spaced = StringUtil.sanitizeSpacesAndQuotes(value, null);
        StringBuilder out = new StringBuilder(spaced.length());
        spaced.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                || Character.getType(c) == Character.FORMAT && (c == 0x202E || c == 0x202D || c == 0x2066 || c == 0x2067
                        || c == 0x2068 || c == 0x2069 || c == 0x202A || c == 0x202B || c == 0x202C) ? ' ' : c));
        return out.toString();
    }
}

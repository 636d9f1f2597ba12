package dev.crmsso.mydbr;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * How myDBR, a PHP application, reads the {@code admin} flag it is sent: as a PHP 8 numeric string
 * (<a href="https://www.php.net/manual/en/language.types.numeric-strings.php">php.net: numeric strings</a>:
 * optional leading and trailing whitespace, a sign, digits with an optional fraction and exponent). A value that
 * compares equal to 1 under PHP's {@code ==} ({@code "1"}, {@code "01"}, {@code " 1"}, {@code "1.0"}, {@code "1e0"})
 * is the admin flag; one equal to 0 is the plain user flag.
 */
final class PhpNumber {

    /** PHP's whitespace for numeric strings: space, \t, \n, \r, \v, \f. */
    private static final String WS = "[ \\t\\n\\r\\u000B\\f]*";
    private static final Pattern NUMERIC = Pattern.compile(WS + "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)" + WS);

    private PhpNumber() {
    }

    /** Whether {@code c} can occur in a numeric string: the substrings worth reading as a flag are runs of these. */
    static boolean canBePartOfNumber(char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E'
                || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
    }

    /** The numeric value of {@code s} as PHP 8 reads a numeric string, or null when it is not one. */
    static BigDecimal valueOf(String s) {
        var m = NUMERIC.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            return new BigDecimal(m.group(1));
        } catch (NumberFormatException | ArithmeticException e) {
            return null; // an exponent beyond BigDecimal's range: far from 0 and 1
        }
    }

    /** {@code s == 1} in PHP: what makes myDBR's admin flag true. */
    static boolean isOne(String s) {
        BigDecimal v = valueOf(s);
        return v != null && v.compareTo(BigDecimal.ONE) == 0;
    }

    /** A value myDBR takes as its 1 / 0 flag. */
    static boolean isFlag(String s) {
        BigDecimal v = valueOf(s);
        return v != null && (v.compareTo(BigDecimal.ONE) == 0 || v.signum() == 0);
    }
}

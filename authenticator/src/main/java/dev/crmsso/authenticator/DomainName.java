package dev.crmsso.authenticator;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A DNS domain in the one form two domains can be compared in: ASCII (IDN punycode), lower case,
 * no trailing dot. Anything that is not plainly a domain (empty, spaces, an {@code @}, empty
 * labels) has no form at all, so it can never match.
 */
final class DomainName {

    private DomainName() {
    }

    /** The comparable form of a domain, or empty when the value is not a domain. */
    static Optional<String> normalise(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String d = value.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.contains("@") || d.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (d.startsWith(".") || d.endsWith(".") || d.contains("..") || !d.matches("[a-z0-9.-]+")) {
            return Optional.empty();
        }
        return Optional.of(d);
    }

    /** The domain of an address {@code local@domain} with exactly one {@code @}; empty otherwise. */
    static Optional<String> ofAddress(String address) {
        if (address == null) {
            return Optional.empty();
        }
        int at = address.indexOf('@');
        if (at <= 0 || at != address.lastIndexOf('@')) {
            return Optional.empty();
        }
        return normalise(address.substring(at + 1));
    }

    /** Whether {@code domain} (normalised) is {@code allowed} (normalised) or, when permitted, below it. */
    static boolean matches(String domain, String allowed, boolean subdomains) {
        return domain.equals(allowed) || subdomains && domain.endsWith("." + allowed);
    }
}

package dev.crmsso.testsupport.crm;

import java.util.Set;

/**
 * A contact of a CRM under test whose data a test relies on: what it logs in with and what Keycloak must show
 * of it. {@code account} and {@code groups} are empty when the contact has none.
 */
public record KnownContact(String email, String password, String firstName, String lastName, String account,
        Set<String> groups) {
}

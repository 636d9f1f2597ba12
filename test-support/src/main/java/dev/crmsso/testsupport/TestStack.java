package dev.crmsso.testsupport;

import java.nio.file.Path;

import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Everything a journey needs, started once: the OIDC server that plays Google and Microsoft
 * (issuers {@code /google} and {@code /microsoft}) and a Keycloak with the bundle and the
 * {@code crm} realm imported from {@code realm-export/}.
 */
public final class TestStack implements AutoCloseable {

    public static final String GOOGLE = "google";
    public static final String MICROSOFT = "microsoft";

    private final MockOAuth2Server oidc;
    private final KeycloakServer keycloak;

    private TestStack(MockOAuth2Server oidc, KeycloakServer keycloak) {
        this.oidc = oidc;
        this.keycloak = keycloak;
    }

    /**
     * @param keycloakHome the unpacked distribution with the bundle in {@code providers/}
     * @param realmFile    the realm to import, or {@code null}
     * @param httpPort     Keycloak's port, 0 for a free one
     */
    public static TestStack start(Path keycloakHome, Path realmFile, int httpPort) {
        MockOAuth2Server oidc = new MockOAuth2Server();
        oidc.start();
        try {
            KeycloakServer.Options options = new KeycloakServer.Options(keycloakHome).httpPort(httpPort);
            if (realmFile != null) {
                options.importRealm(realmFile);
            }
            return new TestStack(oidc, KeycloakServer.start(options));
        } catch (RuntimeException e) {
            oidc.shutdown();
            throw e;
        }
    }

    public MockOAuth2Server oidc() {
        return oidc;
    }

    /** The issuer URL of the OIDC stand-in for one IdP alias ({@link #GOOGLE}, {@link #MICROSOFT}). */
    public String issuer(String alias) {
        return oidc.issuerUrl(alias).toString();
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            oidc.shutdown();
        }
    }
}

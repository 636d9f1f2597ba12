package dev.crmsso.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two Keycloak nodes in production mode on loopback, one PostgreSQL, clustered by Keycloak's own
 * embedded Infinispan with the {@code jdbc-ping} discovery stack (the nodes find each other
 * through a table of the shared database). Each node runs from its own copy of the distribution
 * (with the bundle's JARs), built once with {@code kc.sh build}.
 */
public final class KeycloakCluster implements AutoCloseable {

    /** The build options both nodes share. */
    static final List<String> BUILD = List.of("--db=postgres", "--cache=ispn", "--cache-stack=jdbc-ping",
            "--health-enabled=true");

    private final PostgresServer database;
    private final List<KeycloakServer> nodes;

    private KeycloakCluster(PostgresServer database, List<KeycloakServer> nodes) {
        this.database = database;
        this.nodes = nodes;
    }

    /**
     * @param distribution the unpacked distribution with the bundle in {@code providers/}
     * @param workDir      where the database and the nodes' copies go (emptied first)
     */
    public static KeycloakCluster start(Path distribution, Path workFolder) {
        Path workDir = workFolder.toAbsolutePath();
        PostgresServer database = PostgresServer.start(workDir.resolve("postgres"));
        List<KeycloakServer> nodes = new ArrayList<>();
        try {
            Path first = workDir.resolve("node-a");
            KeycloakServer.copyDistribution(distribution, first);
            KeycloakServer.build(first, BUILD);
            Path second = workDir.resolve("node-b");
            KeycloakServer.copyDistribution(first, second);
            for (Path home : List.of(first, second)) {
                // one node at a time: the first creates the schema and the admin
                nodes.add(KeycloakServer.start(new KeycloakServer.Options(home).optimized().arg("--proxy-headers=xforwarded")
                        .env("KC_DB_URL", database.jdbcUrl())
                        .env("KC_DB_USERNAME", PostgresServer.USER)
                        .env("KC_DB_PASSWORD", "unused-trust-auth")
                        .env("KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS", "127.0.0.1")
                        .env("KC_CACHE_EMBEDDED_NETWORK_BIND_PORT", String.valueOf(KeycloakServer.freePort()))
                        .env("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m")));
            }
            return new KeycloakCluster(database, nodes);
        } catch (RuntimeException e) {
            nodes.forEach(KeycloakServer::close);
            database.close();
            throw e;
        }
    }

    public KeycloakServer a() {
        return nodes.get(0);
    }

    public KeycloakServer b() {
        return nodes.get(1);
    }

    @Override
    public void close() {
        try {
            nodes.forEach(KeycloakServer::close);
        } finally {
            database.close();
        }
    }
}

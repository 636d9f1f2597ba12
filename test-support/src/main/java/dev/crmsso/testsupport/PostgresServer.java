package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL from Debian's packages ({@code postgresql}; .ci/run installs it) for the
 * cluster tests: its own data folder and port on loopback, a database {@code keycloak} owned by
 * user {@code keycloak} (trust authentication: loopback only), removed when closed. PostgreSQL
 * refuses to run as root, so as root it runs as the {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    private static final Path BIN = binaries();

    private final Process process;
    private final Path dir;
    private final int port;

    private PostgresServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** {@code -Dpostgres.bin=...}, or the newest of Debian's {@code /usr/lib/postgresql/<version>/bin}. */
    private static Path binaries() {
        String chosen = System.getProperty("postgres.bin");
        if (chosen != null) {
            return Path.of(chosen);
        }
        try (java.util.stream.Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin")).orElseThrow();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("No PostgreSQL under /usr/lib/postgresql: install Debian's postgresql "
                    + "package (.ci/run does) or set -Dpostgres.bin", e);
        }
    }

    public static PostgresServer start(Path folder) {
        Path dir = folder.toAbsolutePath();
        try {
            KeycloakServer.deleteTree(dir);
            Files.createDirectories(dir);
            Path data = dir.resolve("data");
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            run(asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                    "--encoding=UTF8", "--no-sync"));
            int port = KeycloakServer.freePort();
            Process postgres = new ProcessBuilder(asPostgres(BIN.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", String.valueOf(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off", "-c", "max_connections=200"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
            PostgresServer server = new PostgresServer(postgres, dir, port);
            server.awaitReady();
            run(List.of(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER,
                    DATABASE));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited: see " + dir.resolve("postgres.log"));
            }
            try {
                Process p = new ProcessBuilder(BIN.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p",
                        String.valueOf(port)).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return;
                }
                Thread.sleep(200);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL not ready within 60 s: see " + dir.resolve("postgres.log"));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        return line;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops PostgreSQL (runuser passes the signal on; its children are stopped too) and removes its folder. */
    @Override
    public void close() {
        KeycloakServer.stopTree(process);
        try {
            KeycloakServer.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

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
 * cluster tests: its own port on loopback, a database {@code keycloak} owned by user
 * {@code keycloak} (trust authentication: loopback only). PostgreSQL refuses to run as root, so as
 * root it runs as the {@code postgres} user; its data folder and socket are therefore in a fresh
 * folder under {@code java.io.tmpdir} (owned by that user), never in the checkout, whose parent
 * folders that user may not be allowed to enter (a clone under {@code mktemp -d}, mode 700). That
 * folder is removed when closed, or at JVM exit when a test run ends without closing it. Only
 * {@code postgres.log} stays in the folder given to {@link #start}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    private static final Path BIN = binaries();

    private final Process process;
    /** The data folder and socket: a fresh folder under java.io.tmpdir. */
    private final Path dir;
    private final Path log;
    private final int port;
    private final Thread cleanUpAtExit;

    private PostgresServer(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.cleanUpAtExit = new Thread(this::stopAndRemove, "postgres-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
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

    /**
     * @param folder where {@code postgres.log} goes (emptied first); the data folder and the socket
     *               go to a fresh folder under {@code java.io.tmpdir}
     */
    public static PostgresServer start(Path folder) {
        Path logDir = folder.toAbsolutePath();
        Path dir = null;
        PostgresServer server = null;
        try {
            KeycloakServer.deleteTree(logDir);
            Files.createDirectories(logDir);
            dir = Files.createTempDirectory("crm-sso-postgres");
            if (isRoot()) {
                run(new ProcessBuilder("chown", "postgres:postgres", dir.toString()));
            }
            requireReachable(dir);
            Path data = dir.resolve("data");
            Path log = logDir.resolve("postgres.log");
            // its working folder too: PostgreSQL's programs change back to it, and the checkout may be out of reach
            run(new ProcessBuilder(asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--auth=trust", "--encoding=UTF8", "--no-sync")).directory(dir.toFile()));
            int port = KeycloakServer.freePort();
            Process postgres = new ProcessBuilder(asPostgres(BIN.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", String.valueOf(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off", "-c", "max_connections=200"))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            server = new PostgresServer(postgres, dir, log, port);
            server.awaitReady();
            run(new ProcessBuilder(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-U", USER, DATABASE));
            return server;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            } else if (dir != null) {
                removeQuietly(dir);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** As root: the {@code postgres} user must be able to enter and write {@code dir} (every parent searchable). */
    private static void requireReachable(Path dir) throws IOException {
        if (!isRoot()) {
            return;
        }
        Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-w", dir.toString(), "-a", "-x",
                dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("PostgreSQL's folder " + dir + " cannot be reached by user postgres "
                        + "(it or a parent folder is not searchable by it): set -Djava.io.tmpdir to a folder it can enter");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited: see " + log);
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
        throw new IllegalStateException("PostgreSQL not ready within 60 s: see " + log);
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

    private static void run(ProcessBuilder command) {
        KeycloakServer.run(command.redirectErrorStream(true), String.join(" ", command.command()));
    }

    /** Stops PostgreSQL (runuser passes the signal on; its children are stopped too) and removes its folder. */
    @Override
    public void close() {
        KeycloakServer.cleanUpNow(cleanUpAtExit);
    }

    private synchronized void stopAndRemove() {
        KeycloakServer.stopTree(process);
        removeQuietly(dir);
    }

    private static void removeQuietly(Path dir) {
        try {
            KeycloakServer.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("Could not remove PostgreSQL's folder " + dir + ": " + e);
        }
    }
}

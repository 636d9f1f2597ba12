package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

/**
 * A real Keycloak, started from its unpacked distribution with {@code kc.sh start-dev}, with
 * the bundle's JARs already in {@code providers/}. No Docker: a child process on free ports.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(6);

    private final Process process;
    private final Options options;
    private final int httpPort;
    private final int managementPort;
    private final Path logFile;
    private Keycloak admin;

    private KeycloakServer(Process process, Options options, int httpPort, int managementPort, Path logFile) {
        this.process = process;
        this.options = options;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.logFile = logFile;
    }

    /** Where to start Keycloak and with what. */
    public static final class Options {
        private final Path home;
        private int httpPort;
        private final List<Path> realmFiles = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path logFile;
        private boolean optimized;

        public Options(Path home) {
            this.home = home.toAbsolutePath();
            this.logFile = this.home.resolve("keycloak.log");
        }

        /** 0 (the default) picks a free port. */
        public Options httpPort(int port) { this.httpPort = port; return this; }
        public Options importRealm(Path file) { realmFiles.add(file); return this; }
        public Options arg(String arg) { args.add(arg); return this; }
        public Options env(String name, String value) { env.put(name, value); return this; }
        public Options env(Map<String, String> values) { env.putAll(values); return this; }
        public Options logFile(Path file) { this.logFile = file; return this; }
        /**
         * Production mode: {@code kc.sh start --optimized} of a distribution already built with
         * {@link #build}, plain HTTP allowed (loopback tests), any host name accepted.
         */
        public Options optimized() { this.optimized = true; return this; }
    }

    /** {@code kc.sh build} with these build options (production mode, before {@link Options#optimized()}). */
    public static void build(Path home, List<String> options) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(options);
        try {
            Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kc.sh build failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts Keycloak on a clean database and waits until it reports ready. */
    public static KeycloakServer start(Options o) {
        Path kcSh = o.home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(kcSh)) {
            throw new IllegalStateException("No Keycloak distribution at " + o.home
                    + ": build with ./mvnw package (integration-tests unpacks it)");
        }
        try {
            deleteTree(o.home.resolve("data"));
            // one log per start (a restart appends to it)
            Files.deleteIfExists(o.logFile);
            Path importDir = Files.createDirectories(o.home.resolve("data/import"));
            for (Path realm : o.realmFiles) {
                Files.copy(realm, importDir.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launch(o, o.httpPort == 0 ? freePort() : o.httpPort);
    }

    /**
     * Stops this Keycloak and starts it again from the same distribution, options and database (its {@code data/}
     * kept: the dev-file database of {@code start-dev}), on the same HTTP port, so that the tokens it issued name
     * the same issuer; waits until it is ready.
     */
    public KeycloakServer restart() {
        close();
        return launch(options, httpPort);
    }

    private static KeycloakServer launch(Options o, int http) {
        try {
            Path kcSh = o.home.resolve("bin/kc.sh");
            int management = freePort();
            List<String> command = new ArrayList<>(o.optimized
                    ? List.of(kcSh.toString(), "start", "--optimized", "--http-enabled=true", "--hostname-strict=false")
                    : List.of(kcSh.toString(), "start-dev", "--health-enabled=true"));
            command.add("--http-port=" + http);
            command.add("--http-management-port=" + management);
            if (!o.realmFiles.isEmpty()) {
                command.add("--import-realm");
            }
            command.addAll(o.args);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(o.home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(o.logFile.toFile()));
            pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
            pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            // the Java that runs Keycloak (Java matrix): -Dkeycloak.java.home=/usr/lib/jvm/temurin-25-jdk-amd64
            String javaHome = System.getProperty("keycloak.java.home", "");
            if (!javaHome.isBlank()) {
                pb.environment().put("JAVA_HOME", javaHome);
                pb.environment().remove("JAVA");
            }
            // kc.sh would size the heap from the machine's RAM; a test needs far less
            pb.environment().putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx1024m");
            pb.environment().putAll(o.env);
            KeycloakServer server = new KeycloakServer(pb.start(), o, http, management, o.logFile);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of a distribution (with the bundle's JARs), for a Keycloak of a test's own; {@code to} is emptied first. */
    public static Path copyDistribution(Path from, Path to) {
        try {
            deleteTree(to);
            try (Stream<Path> paths = Files.walk(from)) {
                for (Path p : paths.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://localhost:" + managementPort + "/health/ready");
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak was not ready within " + STARTUP_TIMEOUT + ":\n" + logTail());
    }

    /** {@code http://localhost:PORT}, the base of every Keycloak URL. */
    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String realmUrl(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /**
     * The login page of a realm as the account console opens it (its own authorization request:
     * a public client that requires PKCE), the simplest "application" every realm has.
     */
    public String accountConsoleLoginUrl(String realm) {
        String realmUrl = realmUrl(realm);
        return realmUrl + "/protocol/openid-connect/auth?client_id=account-console&response_type=code&scope=openid"
                + "&redirect_uri=" + URLEncoder.encode(realmUrl + "/account/", StandardCharsets.UTF_8)
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    }

    public Path logFile() {
        return logFile;
    }

    /** The server's log so far, for assertions on what an admin would read. */
    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An admin client logged in to the master realm as the bootstrap admin. */
    public synchronized Keycloak admin() {
        if (admin == null) {
            admin = KeycloakBuilder.builder().serverUrl(baseUrl()).realm("master").clientId("admin-cli")
                    .username(ADMIN_USER).password(ADMIN_PASSWORD).build();
        }
        return admin;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM that runs Keycloak (kc.sh's java child, or kc.sh itself when it exec'ed java). */
    public ProcessHandle jvm() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no java process under kc.sh"));
    }

    /** Kills Keycloak at once (SIGKILL), as a crashed node: no shutdown, no goodbye to the cluster. */
    public synchronized void kill() {
        Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops Keycloak and every process kc.sh started. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        stopTree(process);
    }

    /** Asks a process and all it started to stop, and kills what has not stopped within 30 s. */
    static void stopTree(Process process) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Runs a command to its end; its standard output. A non-zero exit fails with {@code what}, the command's
     * error output and its output.
     */
    static String run(ProcessBuilder command, String what) {
        try {
            Path err = Files.createTempFile("crm-sso-command", ".err");
            try {
                Process p = command.redirectError(err.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(what + " failed:\n" + Files.readString(err) + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a clean-up hook now, instead of at JVM exit (when the JVM is already exiting, it runs there anyway). */
    static void cleanUpNow(Thread atExit) {
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        atExit.run();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

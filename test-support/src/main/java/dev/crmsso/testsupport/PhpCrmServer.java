package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.crmsso.testsupport.crm.CrmWebService;

/**
 * A real PHP CRM on loopback, started by one of the checkout's {@code ../shared/<crm>/start WORKDIR PORT}
 * scripts, which share one contract ({@code ../shared/corebos/README.md}, {@code ../shared/vtiger/README.md}):
 * PHP 8.2's built-in server and a throwaway MariaDB, the seeded API user, contacts and portal passwords, the
 * {@code CRM_*} lines on stdout, {@code WORKDIR/stop}. The scripts install PHP and MariaDB from Debian when they
 * are missing (as root, or with {@code sudo -n}).
 *
 * <p>WORKDIR is a fresh folder under {@code java.io.tmpdir}, never in the checkout (whose parent folders
 * the user the CRM runs as may not enter); it is removed when closed, at JVM exit when a run ends without
 * closing it, and when the start fails. The script's own log and the CRM's logs are kept in the log folder
 * given to the start.
 */
public abstract class PhpCrmServer implements AutoCloseable {

    /**
     * Which CRM: its name in messages, the system property that may name its start script (the integration
     * tests' POM sets it), and its folder under {@code ../shared}.
     */
    protected record Kind(String name, String startProperty, String sharedFolder) {
    }

    /** What a start left behind for the server object. */
    protected record Started(Path workDir, Path logDir, Map<String, String> env, Duration startTime) {
    }

    /** A cold start installs PHP and MariaDB first (38 s measured on a minimal Debian 12; apt may wait for a lock). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(20);

    private final Kind kind;
    private final Path workDir;
    private final Path logDir;
    private final Map<String, String> env;
    private final Duration startTime;
    private final Thread cleanUpAtExit;
    private boolean stopped;

    protected PhpCrmServer(Kind kind, Started started) {
        this.kind = kind;
        this.workDir = started.workDir();
        this.logDir = started.logDir();
        this.env = started.env();
        this.startTime = started.startTime();
        this.cleanUpAtExit = new Thread(this::stopAndRemove, kind.sharedFolder() + "-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
        System.out.printf("%s up at %s in %d s%n", kind.name(), url(), startTime.toSeconds());
    }

    /**
     * The start script: {@code -D<startProperty>=...} (the integration tests' POM sets it to the checkout's
     * {@code ../shared/<crm>/start}), else {@code ../shared/<crm>/start} beside the repository root found above
     * the working folder.
     */
    protected static Path startScript(Kind kind) {
        String chosen = System.getProperty(kind.startProperty(), "");
        if (!chosen.isBlank()) {
            return Path.of(chosen).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve(".mvn"))) {
                return d.resolveSibling("shared").resolve(kind.sharedFolder() + "/start");
            }
        }
        throw new IllegalStateException("No repository root above " + Path.of("").toAbsolutePath()
                + ": set -D" + kind.startProperty() + " to ../shared/" + kind.sharedFolder() + "/start");
    }

    /**
     * Runs the start script and waits for it.
     *
     * @param logFolder where the script's output ({@code start.log}) and the CRM's logs go (emptied first)
     * @param port      the CRM's port on 127.0.0.1 ({@code CRM_URL} is {@code http://127.0.0.1:PORT})
     */
    protected static Started launch(Kind kind, Path logFolder, int port) {
        Path script = startScript(kind);
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("No " + kind.name() + " start script at " + script + " (the checkout's ../shared/"
                    + kind.sharedFolder() + "/start; -D" + kind.startProperty() + " to point elsewhere)");
        }
        Path logDir = logFolder.toAbsolutePath();
        Path work = null;
        Instant began = Instant.now();
        try {
            KeycloakServer.deleteTree(logDir);
            Files.createDirectories(logDir);
            work = Files.createTempDirectory("crm-sso-" + kind.sharedFolder());
            Path out = logDir.resolve("start.out");
            Path log = logDir.resolve("start.log");
            Process p = new ProcessBuilder(script.toString(), work.toString(), String.valueOf(port))
                    .directory(work.toFile()).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                KeycloakServer.stopTree(p);
                throw new IllegalStateException(kind.name() + " did not start within " + START_TIMEOUT + ": " + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "):\n" + tail(log));
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(out)) {
                int eq = line.indexOf('=');
                if (line.startsWith("CRM_") && eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            if (!env.containsKey("CRM_URL") || !env.containsKey("CRM_ACCESS_KEY")) {
                throw new IllegalStateException(script + " printed no CRM_URL / CRM_ACCESS_KEY: see " + out);
            }
            return new Started(work, logDir, env, Duration.between(began, Instant.now()));
        } catch (IOException | RuntimeException e) {
            if (work != null) {
                stopAndRemove(kind, work, logDir);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (work != null) {
                stopAndRemove(kind, work, logDir);
            }
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /webservice.php}. */
    public String url() {
        return env.get("CRM_URL");
    }

    public String apiUser() {
        return env.get("CRM_API_USER");
    }

    public String accessKey() {
        return env.get("CRM_ACCESS_KEY");
    }

    /** How long the start script took (PHP/MariaDB install included when it had to). */
    public Duration startTime() {
        return startTime;
    }

    /** A {@code CRM_*} value the start script printed ({@code CRM_DB_PORT}, ...), or null. */
    public String env(String name) {
        return env.get(name);
    }

    /** The start script's WORKDIR. */
    protected Path workDir() {
        return workDir;
    }

    /** The CRM's source tree the PHP server serves. */
    public Path webRoot() {
        return workDir.resolve("www");
    }

    /** The web service as the seeded API user (admin), for what a CRM admin would do in the test run. */
    public CrmWebService webService() {
        return new CrmWebService(url(), apiUser(), accessKey());
    }

    /**
     * The PHP built-in server's log ({@code WORKDIR/logs/php-server.log}): one line per request with its method
     * and URL, as a web server's access log keeps them.
     */
    public Path accessLog() {
        return workDir.resolve("logs/php-server.log");
    }

    /** What the access log says of one request: {@code [200]: POST /webservice.php?operation=query&query=...}. */
    private static final Pattern LOGGED_REQUEST = Pattern.compile("\\[(\\d{3})\\]: (\\S+) (\\S+)");

    /** Every request the CRM's web server has logged so far, in order, as {@code METHOD URL}. */
    public List<String> loggedRequests() {
        List<String> requests = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(accessLog())) {
                Matcher m = LOGGED_REQUEST.matcher(line);
                if (m.find()) {
                    requests.add(m.group(2) + " " + m.group(3));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    /**
     * The requests logged after the first {@code from} of {@link #loggedRequests()}, once the web server has logged
     * a marker request sent now: the requests whose answers came before are in the log by then.
     */
    public List<String> loggedRequestsSince(int from) {
        String marker = "/crm-sso-mark-" + UUID.randomUUID();
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + marker)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> all = loggedRequests();
            int at = all.indexOf("GET " + marker);
            if (at >= 0) {
                return List.copyOf(all.subList(Math.min(from, at), at));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(kind.name() + " did not log " + marker + " within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Runs SQL on the CRM's database as its own database user (over loopback TCP) and returns the rows of
     * the last statement, each a list of columns ({@code NULL} as the text {@code NULL}).
     */
    public List<List<String>> sql(String statements) {
        List<String> command = List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", env.get("CRM_DB_PORT"),
                "-u", env.get("CRM_DB_USER"), "-N", "-B", env.get("CRM_DB_NAME"), "-e", statements);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("MYSQL_PWD", env.get("CRM_DB_PASSWORD"));
        List<List<String>> rows = new ArrayList<>();
        for (String line : KeycloakServer.run(pb, "SQL " + statements).split("\n")) {
            if (!line.isEmpty()) {
                rows.add(List.of(line.split("\t", -1)));
            }
        }
        return rows;
    }

    /** The single value a query answers (the first column of its first row), or null. */
    public String sqlValue(String query) {
        List<List<String>> rows = sql(query);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Runs a PHP script with the CRM's PHP in its source tree (for what the CRM does only from PHP: vtlib, cbupdater). */
    public String php(String script) {
        try {
            Path file = Files.createTempFile(workDir, "seed", ".php");
            Files.writeString(file, script);
            return KeycloakServer.run(new ProcessBuilder("php8.2", "-d", "display_errors=stderr", "-d", "error_reporting=22519",
                    "-d", "date.timezone=UTC", file.toString()).directory(webRoot().toFile()), "php " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs WORKDIR/stop, keeps the CRM's logs in the log folder, removes WORKDIR. */
    @Override
    public void close() {
        KeycloakServer.cleanUpNow(cleanUpAtExit);
    }

    private synchronized void stopAndRemove() {
        if (!stopped) {
            stopped = true;
            stopAndRemove(kind, workDir, logDir);
        }
    }

    private static void stopAndRemove(Kind kind, Path work, Path logDir) {
        Path stop = work.resolve("stop");
        try {
            if (Files.isExecutable(stop)) {
                Process p = new ProcessBuilder(stop.toString()).redirectErrorStream(true)
                        .redirectOutput(logDir.resolve("stop.log").toFile()).start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    KeycloakServer.stopTree(p);
                }
            } else {
                // a start cut short before it wrote its stop script: the servers it launched are in run/*.pid
                killListed(work.resolve("run"));
            }
            Path logs = work.resolve("logs");
            if (Files.isDirectory(logs)) {
                Path kept = Files.createDirectories(logDir.resolve("logs"));
                try (Stream<Path> files = Files.list(logs)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Files.copy(f, kept.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println(kind.name() + " stop in " + work + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                KeycloakServer.deleteTree(work);
            } catch (IOException e) {
                System.err.println("Could not remove " + kind.name() + "'s folder " + work + ": " + e);
            }
        }
    }

    private static void killListed(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return;
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains(".pid")).toList()) {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readString(f).strip())).ifPresent(h -> {
                        h.descendants().forEach(ProcessHandle::destroyForcibly);
                        h.destroyForcibly();
                    });
                } catch (NumberFormatException e) {
                    // not a pid
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A real vtiger CRM 8.2.0 ({@code webservice.php} and the customer-portal API
 * {@code modules/CustomerPortal/api.php}), started by the checkout's {@code ../shared/vtiger/start WORKDIR PORT}
 * (see {@code ../shared/vtiger/README.md}) through {@link PhpCrmServer}: the same contract as coreBOS's.
 */
public final class VtigerServer extends PhpCrmServer {

    private static final Kind VTIGER = new Kind("vtiger", "vtiger.start", "vtiger");

    private VtigerServer(Started started) {
        super(VTIGER, started);
    }

    /** {@code -Dvtiger.start=...}, else {@code ../shared/vtiger/start} beside the repository root. */
    public static Path startScript() {
        return startScript(VTIGER);
    }

    /**
     * Ends every web-service session, as vtiger's own expiry or a restart would: its sessions are PHP's
     * ({@code include/Webservices/SessionManager.php}, HTTP_Session2), files in the PHP server's
     * {@code session.save_path}, {@code WORKDIR/sessions}.
     */
    public void endSessions() {
        try (Stream<Path> files = Files.list(workDir().resolve("sessions"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on a free loopback port; the script's and the CRM's logs go to the log folder. */
    public static VtigerServer start(Path logFolder) {
        return new VtigerServer(launch(VTIGER, logFolder, KeycloakServer.freePort()));
    }
}

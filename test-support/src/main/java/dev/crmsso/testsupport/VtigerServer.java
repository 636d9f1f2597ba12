package dev.crmsso.testsupport;

import java.nio.file.Path;

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

    /** Starts on a free loopback port; the script's and the CRM's logs go to the log folder. */
    public static VtigerServer start(Path logFolder) {
        return new VtigerServer(launch(VTIGER, logFolder, KeycloakServer.freePort()));
    }
}

package dev.crmsso.testsupport;

import java.nio.file.Path;

/**
 * A real coreBOS CRM (web service only), started by the checkout's {@code ../shared/corebos/start WORKDIR PORT}
 * (see {@code ../shared/corebos/README.md}) through {@link PhpCrmServer}.
 */
public final class CoreBosServer extends PhpCrmServer {

    private static final Kind COREBOS = new Kind("coreBOS", "corebos.start", "corebos");

    private CoreBosServer(Started started) {
        super(COREBOS, started);
    }

    /** {@code -Dcorebos.start=...}, else {@code ../shared/corebos/start} beside the repository root. */
    public static Path startScript() {
        return startScript(COREBOS);
    }

    /** Starts on a free loopback port. */
    public static CoreBosServer start(Path logFolder) {
        return start(logFolder, KeycloakServer.freePort());
    }

    /** Starts on this loopback port; the script's and the CRM's logs go to the log folder. */
    public static CoreBosServer start(Path logFolder, int port) {
        return new CoreBosServer(launch(COREBOS, logFolder, port));
    }
}

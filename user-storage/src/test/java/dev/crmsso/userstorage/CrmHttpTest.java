package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport's own limits, against a raw socket server that answers as a broken CRM would. */
class CrmHttpTest {

    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    static CrmConfig config(int connectMillis, int readMillis) {
        return new CrmConfig(URI.create("http://127.0.0.1"), "admin", "key", Flavour.COREBOS, "email", true, List.of(),
                null, Duration.ofMillis(connectMillis), Duration.ofMillis(readMillis));
    }

    /** Answers each connection with {@code answer} after reading the request's first bytes. */
    URI serve(BiConsumer<InputStream, OutputStream> answer) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    answer.accept(s.getInputStream(), s.getOutputStream());
                } catch (IOException | RuntimeException e) {
                    // the client went away
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/webservice.php");
    }

    /** A byte every 100 ms never trips a 300 ms read timeout: the deadline (connect + read timeout) ends it. */
    @Test
    void aCrmThatTricklesItsAnswerIsCutAtTheDeadline() throws Exception {
        URI uri = serve((in, out) -> {
            try {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 1000; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // cut off
            }
        });
        try (CrmHttp http = CrmHttp.standalone(config(500, 300))) {
            long start = System.nanoTime();
            CrmException e = assertThrows(CrmException.class, () -> http.post(new CrmHttp.Request(uri, "operation=query", Map.of(), true)));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(e.isUnavailable() && e.mayHaveReachedCrm(), e.getMessage());
            assertEquals("CRM did not answer within 300 ms", e.getMessage());
            assertTrue(millis < 2000, "cut at about 800 ms, took " + millis);
        }
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefused() throws Exception {
        URI uri = serve((in, out) -> {
            try {
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // cut off
            }
        });
        try (CrmHttp http = CrmHttp.standalone(config(500, 1000), 1000)) {
            CrmException e = assertThrows(CrmException.class, () -> http.post(new CrmHttp.Request(uri, "operation=query", Map.of(), true)));
            assertEquals("CRM answer larger than 1000 bytes", e.getMessage());
        }
    }

    /**
     * A CRM whose web server closes each connection after its answer (an idle keep-alive timeout, a restart): the next
     * request on the pooled connection gets no answer. Sent again on a new connection, unless the CRM would count it.
     */
    @Test
    void aRequestLostOnAConnectionTheCrmClosedIsSentAgainUnlessTheCrmCountsIt() throws Exception {
        URI uri = serve((in, out) -> {
            try {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // cut off
            }
        });
        try (CrmHttp http = CrmHttp.standalone(config(500, 1000))) {
            assertEquals(200, http.post(new CrmHttp.Request(uri, "operation=query", Map.of(), true)).status());
            assertEquals(200, http.post(new CrmHttp.Request(uri, "operation=query", Map.of(), true)).status(),
                    "sent again on a new connection");
            CrmException e = assertThrows(CrmException.class,
                    () -> http.post(new CrmHttp.Request(uri, "operation=loginPortal", Map.of(), false)));
            assertTrue(e.isUnavailable() && e.mayHaveReachedCrm(), e.getMessage());
        }
    }

    /** Nothing listens: not reached, so a portal login through it counts nothing. */
    @Test
    void aClosedPortIsNotReached() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (CrmHttp http = CrmHttp.standalone(config(500, 500))) {
            CrmException e = assertThrows(CrmException.class,
                    () -> http.post(new CrmHttp.Request(
                            URI.create("http://127.0.0.1:" + port + "/webservice.php"), "operation=query", Map.of(), true)));
            assertFalse(e.mayHaveReachedCrm(), e.getMessage());
        }
    }

    /** A federation's client replaced (its settings saved) closes its transport. */
    @Test
    void closingTheClientClosesItsTransport() {
        CrmHttp http = CrmHttp.standalone(config(500, 500));
        CrmClient client = new CrmClient(config(500, 500), new CrmBreaker("crm", Duration.ofSeconds(30)), null, http);
        client.close();
        assertTrue(http.isClosed());
    }
}

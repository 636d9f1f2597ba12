package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLongArray;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What stands in front of a Keycloak cluster: one address for every node, the node a test picks
 * first, the other when the first does not answer (a crashed node), and the
 * {@code X-Forwarded-*} headers Keycloak (started with {@code --proxy-headers=xforwarded}) builds
 * its URLs and token issuers from, so that every node speaks as the same host.
 */
public final class LoadBalancer implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection");

    private final HttpServer server;
    private final List<KeycloakServer> nodes;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLongArray served;
    private volatile int first;

    private LoadBalancer(HttpServer server, List<KeycloakServer> nodes) {
        this.server = server;
        this.nodes = nodes;
        this.served = new AtomicLongArray(nodes.size());
    }

    public static LoadBalancer start(List<KeycloakServer> nodes) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            LoadBalancer lb = new LoadBalancer(server, nodes);
            server.createContext("/", lb::forward);
            server.setExecutor(Executors.newFixedThreadPool(64, r -> {
                Thread t = new Thread(r, "load-balancer");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return lb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://localhost:PORT}: the cluster's one address. */
    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** The node (index) requests go to first, from now on. */
    public void sendTo(int node) {
        this.first = node;
    }

    /** How many requests a node has answered. */
    public long served(int node) {
        return served.get(node);
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int start = first;
        for (int i = 0; i < nodes.size(); i++) {
            int node = (start + i) % nodes.size();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nodes.get(node).baseUrl()
                    + exchange.getRequestURI())).timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            request.header("X-Forwarded-Host", "localhost").header("X-Forwarded-Port",
                    String.valueOf(server.getAddress().getPort())).header("X-Forwarded-Proto", "http");
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException e) {
                continue;
            } catch (IOException e) {
                // the node went away while answering: as a load balancer would, answer 502
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            served.incrementAndGet(node);
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase()) && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
            return;
        }
        exchange.sendResponseHeaders(502, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

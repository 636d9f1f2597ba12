package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Where Keycloak's myDBR redirects land in the journeys: a page that shows what myDBR would
 * receive, so a browser journey ends on a readable page (and in its screenshot). It checks
 * nothing: the tests verify the signature themselves. {@link #start(String, String)} makes the
 * same page for another application, e.g. the one coreBOS sends its SAML answer to ({@code SAML_RWURL}).
 */
public final class MydbrStandIn implements AutoCloseable {

    private final HttpServer server;
    private final String path;

    private MydbrStandIn(HttpServer server, String path) {
        this.server = server;
        this.path = path;
    }

    public static MydbrStandIn start() {
        return start("mydbr", "myDBR");
    }

    /** The page of an application named {@code title} under {@code /path/}. */
    public static MydbrStandIn start(String path, String title) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            server.createContext("/" + path + "/", exchange -> page(exchange, title));
            server.start();
            return new MydbrStandIn(server, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's base URL (for myDBR: {@code MYDBR_URL} of the crm realm). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    private static void page(HttpExchange exchange, String title) throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title></head><body style=\"font-family:sans-serif\"><h1>")
                .append(escape(title)).append(" (test stand-in)</h1>"
                + "<p>The single sign-on answer it received:</p><table id=\"received\">");
        parameters(exchange.getRequestURI().getRawQuery()).forEach((name, value) -> html.append("<tr><th>")
                .append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>"));
        // an answer carried in the URL's fragment (coreBOS's SAML_RWURL ends in #: its raw JSON never reaches a server)
        html.append("</table><p id=\"fragment\"></p><script>document.getElementById('fragment').textContent ="
                + " decodeURIComponent(location.hash.slice(1));</script></body></html>");
        byte[] body = html.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The decoded parameters of a raw query string, in their order. */
    public static Map<String, String> parameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

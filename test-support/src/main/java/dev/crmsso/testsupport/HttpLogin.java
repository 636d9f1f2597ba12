package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without a screen: one cookie jar, redirects followed by hand so a test can stop where
 * an application would receive the answer (its redirect URI), forms posted as a person would.
 * For journeys that need no rendering; {@link Chromium} is there for those that do.
 */
public final class HttpLogin {

    /** Where a request ended: a page (2xx / 4xx) or a redirect to the URL the test waits for. */
    public record Page(int status, String url, String body) {

        /** A query or fragment parameter of {@link #url()}, URL-decoded; null when absent. */
        public String param(String name) {
            Matcher m = Pattern.compile("[?&#]" + Pattern.quote(name) + "=([^&#]*)").matcher(url);
            return m.find() ? java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
        }
    }

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** GETs {@code url} and follows redirects until a page, or a redirect to a URL starting with {@code stopAt}. */
    public Page get(String url, String stopAt) {
        return follow(HttpRequest.newBuilder(URI.create(url)).GET().build(), stopAt);
    }

    /** Fills Keycloak's username / password form on {@code page} and submits it. */
    public Page submitLogin(Page page, String username, String password, String stopAt) {
        Matcher action = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"")
                .matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no login form on " + page.url() + ":\n" + page.body());
        }
        String target = (action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&");
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return follow(HttpRequest.newBuilder(URI.create(page.url()).resolve(target))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), stopAt);
    }

    private Page follow(HttpRequest request, String stopAt) {
        try {
            for (int hops = 0; hops < 20; hops++) {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                // Keycloak marks its cookies Secure on http://localhost too (browsers treat localhost as a
                // secure context); Java's cookie store would otherwise never send them back over http
                cookies.getCookieStore().getCookies().forEach(c -> c.setSecure(false));
                String location = r.headers().firstValue("Location").orElse(null);
                if (r.statusCode() / 100 != 3 || location == null) {
                    return new Page(r.statusCode(), request.uri().toString(), r.body());
                }
                String next = request.uri().resolve(location).toString();
                if (stopAt != null && next.startsWith(stopAt)) {
                    return new Page(r.statusCode(), next, "");
                }
                request = HttpRequest.newBuilder(URI.create(next)).GET().build();
            }
            throw new AssertionError("more than 20 redirects from " + request.uri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

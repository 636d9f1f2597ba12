package dev.crmsso.userstorage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.http.HttpEntity;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;

/**
 * How one federation's requests reach the CRM: through Keycloak's own outgoing HTTP client
 * ({@code HttpClientProvider}, the Apache client every Keycloak call to an identity provider uses), so they honour
 * what the Keycloak admin configured for outgoing calls: the truststore ({@code truststore-paths}, the truststore
 * SPI, with its hostname verification policy), the proxies ({@code spi-connections-http-client-default-proxy-mappings}
 * and the {@code HTTPS_PROXY} / {@code NO_PROXY} environment), a client certificate, the connection pool.
 * <p>
 * Why that client and not a JDK {@code HttpClient} built from the truststore SPI's SSL context: the JDK client would
 * honour the truststore (Keycloak also makes it the JVM's default, "Configuring trusted certificates") but not the
 * proxy mappings, which only Keycloak's {@code DefaultHttpClientFactory} reads; rebuilding them (and their proxy
 * credentials, which the JDK client refuses for HTTPS tunnels by default) would copy Keycloak. The shared client
 * belongs to Keycloak, which closes it at shutdown: a federation never closes it, only what is its own here.
 * <p>
 * Each request sets its own timeouts (Apache's {@code RequestConfig}): connect, waiting for a pooled connection
 * (both the connect timeout: no free connection is the CRM not reached) and the read timeout between bytes; and a
 * deadline of connect + read timeout for the whole exchange, after which it is aborted, so a CRM that trickles its
 * answer is as unavailable as a silent one. Answers larger than Keycloak's {@code max-consumed-response-size} are
 * refused. No redirect is followed.
 */
final class CrmHttp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CrmHttp.class);
    /** Logouts waiting for the background thread; more are dropped (the CRM ends idle sessions itself). */
    private static final int BACKGROUND_QUEUE = 200;

    /**
     * One request: where, the form body, headers beyond the form's content type, and whether it may be sent again
     * when a pooled connection turns out closed by the CRM ({@code NoHttpResponseException}: the CRM's web server
     * ended an idle keep-alive connection, or restarted). Apache's client repeats only idempotent requests by itself,
     * and POST is not; a request the CRM would count (a portal login) is never repeated.
     */
    record Request(URI uri, String form, Map<String, String> headers, boolean mayRepeat) {
    }

    /** One answer: its HTTP status and body. */
    record Answer(int status, String body) {
    }

    private final CloseableHttpClient client;
    private final boolean ownClient;
    private final RequestConfig timeouts;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final long maxBody;
    private final ScheduledExecutorService deadlines;
    private final ThreadPoolExecutor background;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CrmHttp(CloseableHttpClient client, boolean ownClient, CrmConfig config, long maxBody) {
        this.client = client;
        this.ownClient = ownClient;
        this.connectTimeout = config.connectTimeout();
        this.readTimeout = config.readTimeout();
        this.maxBody = maxBody;
        int connect = Math.toIntExact(connectTimeout.toMillis());
        this.timeouts = RequestConfig.custom().setConnectTimeout(connect).setConnectionRequestTimeout(connect)
                .setSocketTimeout(Math.toIntExact(readTimeout.toMillis())).setRedirectsEnabled(false).build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemon("crm-request-deadline"));
        this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKGROUND_QUEUE),
                daemon("crm-background"), new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Keycloak's outgoing HTTP client, shared with Keycloak (never closed here). */
    static CrmHttp keycloaks(KeycloakSession session, CrmConfig config) {
        HttpClientProvider provider = session.getProvider(HttpClientProvider.class);
        return new CrmHttp(provider.getHttpClient(), false, config, provider.getMaxConsumedResponseSize());
    }

    /** A client of its own, with Apache's defaults and the JVM's truststore, closed with this (tests, no Keycloak). */
    static CrmHttp standalone(CrmConfig config) {
        return standalone(config, HttpClientProvider.DEFAULT_MAX_CONSUMED_RESPONSE_SIZE);
    }

    static CrmHttp standalone(CrmConfig config, long maxBody) {
        return new CrmHttp(HttpClients.createSystem(), true, config, maxBody);
    }

    /**
     * Posts a form and reads the whole answer. Failures are {@link CrmException}s that name their kind, never the
     * request (its URL can carry a session): not reached (no connection, no TLS handshake: nothing was sent) or
     * unavailable (sent, no usable answer in time).
     */
    Answer post(Request request) {
        for (boolean firstTry = true; ; firstTry = false) {
            try {
                return send(request);
            } catch (StaleConnection e) {
                if (!firstTry || !request.mayRepeat()) {
                    throw CrmException.unavailable("CRM not reachable (NoHttpResponseException)", null);
                }
                LOG.debugf("CRM %s: the pooled connection was closed by the CRM; sending again", request.uri().getHost());
            }
        }
    }

    /** The CRM closed the connection without an answer. */
    private static final class StaleConnection extends Exception {
        StaleConnection() {
            super(null, null, false, false);
        }
    }

    private Answer send(Request request) throws StaleConnection {
        URI uri = request.uri();
        HttpPost post = request(uri, request.form());
        request.headers().forEach(post::setHeader);
        ScheduledFuture<?> deadline = deadline(post);
        try (CloseableHttpResponse response = client.execute(post)) {
            return new Answer(response.getStatusLine().getStatusCode(), body(post, response.getEntity()));
        } catch (ConnectTimeoutException e) { // and its ConnectionPoolTimeoutException: no free pooled connection
            throw CrmException.notReached("CRM not reachable within " + connectTimeout.toMillis() + " ms");
        } catch (ConnectException | UnknownHostException | SSLHandshakeException | SSLPeerUnverifiedException e) {
            // no connection, or TLS refused (an untrusted certificate, a wrong host name): nothing was sent
            throw CrmException.notReached("CRM not reachable (" + e.getClass().getSimpleName() + ")");
        } catch (NoHttpResponseException e) {
            throw new StaleConnection();
        } catch (IOException e) {
            if (post.isAborted() || e instanceof SocketTimeoutException) {
                throw CrmException.unavailable("CRM did not answer within " + readTimeout.toMillis() + " ms", null);
            }
            throw CrmException.unavailable("CRM not reachable (" + e.getClass().getSimpleName() + ")", null);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /** Aborts the exchange at connect + read timeout; none once closed (a request of a replaced client ends by its timeouts). */
    private ScheduledFuture<?> deadline(HttpPost post) {
        try {
            return deadlines.schedule(post::abort, connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            return null;
        }
    }

    /** Posts a form off the caller's path, its answer ignored (the portal session's logout). */
    void postLater(Request request) {
        background.execute(() -> {
            try {
                post(request);
            } catch (RuntimeException e) {
                LOG.debugf("CRM %s: background request failed: %s", request.uri().getHost(), e.getMessage());
            }
        });
    }

    private HttpPost request(URI uri, String form) {
        HttpPost post = new HttpPost(uri);
        post.setConfig(timeouts);
        post.setEntity(new StringEntity(form, ContentType.APPLICATION_FORM_URLENCODED));
        return post;
    }

    private String body(HttpPost post, HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) != -1; ) {
                out.write(chunk, 0, n);
                if (out.size() > maxBody) {
                    post.abort();
                    throw CrmException.unavailable("CRM answer larger than " + maxBody + " bytes", null);
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Stops this federation's threads (and its own client); Keycloak's shared client stays open. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        deadlines.shutdownNow();
        background.shutdown();
        if (ownClient) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.debugf("closing the CRM's HTTP client: %s", e.getMessage());
            }
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

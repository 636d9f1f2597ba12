package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

import com.nimbusds.oauth2.sdk.TokenRequest;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * The OIDC stand-in for Google and Microsoft (mock-oauth2-server, issuers {@code /google} and
 * {@code /microsoft}) and the generic OIDC IdPs pointing at it (Keycloak's built-in providers have
 * fixed endpoints). Its tokens carry exactly the claims a test or a demo account gives them: the
 * server's own callback writes its issuer id into {@code tid} (and a login page's claims only fill
 * what the callback left out), so it would never issue a real tenant id.
 */
public final class StandInIdps {

    /** The mapper that applies the domain step's policy at the IdP's callback, before anything is written. */
    public static final String GUARD_MAPPER = "crm-sso-domain-guard";

    private StandInIdps() {
    }

    /** The demo page that lets a person pick an account, served at {@code /authorize} while it is on. */
    public static final class DemoPage implements Route {
        private final String html;
        private volatile boolean on;

        DemoPage(boolean on) {
            this.on = on;
            try (InputStream in = StandInIdps.class.getResourceAsStream("demo-login.html")) {
                this.html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** On: "Continue with ..." shows the demo accounts; off: the next queued login answers at once. */
        public void on(boolean on) {
            this.on = on;
        }

        @Override
        public boolean match(OAuth2HttpRequest request) {
            return on && "GET".equals(request.getMethod()) && request.getUrl().encodedPath().endsWith("/authorize");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            // the page's forms post back to this very URL, where the stand-in turns the picked account into a code
            return new OAuth2HttpResponse(Headers.of("Content-Type", "text/html; charset=utf-8"), 200, html, null);
        }
    }

    /** The stand-in server (not started) and its demo page switch. */
    public record Server(MockOAuth2Server oidc, DemoPage demoPage) {
    }

    /** A stand-in for both issuers; {@code demoPage} says whether the demo accounts page is on from the start. */
    public static Server server(boolean demoPage) {
        DemoPage page = new DemoPage(demoPage);
        OAuth2Config config = new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new Claims(TestStack.GOOGLE, null, null, Map.of()), new Claims(TestStack.MICROSOFT, null, null, Map.of())));
        return new Server(new MockOAuth2Server(config, page), page);
    }

    /** The client id Keycloak uses at the stand-in for an IdP alias; the id token's audience. */
    public static String clientId(String alias) {
        return "it-" + alias;
    }

    public static IdentityProviderRepresentation add(RealmResource realm, MockOAuth2Server oidc, String alias) {
        return add(realm, oidc, alias, alias);
    }

    /** An OIDC IdP {@code alias} pointing at the stand-in's issuer {@code issuerId}. */
    public static IdentityProviderRepresentation add(RealmResource realm, MockOAuth2Server oidc, String alias, String issuerId) {
        String issuer = oidc.issuerUrl(issuerId).toString();
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(alias);
        idp.setDisplayName(alias);
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        idp.setTrustEmail(false);
        idp.setConfig(new HashMap<>(Map.of(
                "clientId", clientId(alias), "clientSecret", "it-secret", "clientAuthMethod", "client_secret_post",
                "authorizationUrl", issuer + "/authorize", "tokenUrl", issuer + "/token", "jwksUrl", issuer + "/jwks",
                "issuer", issuer, "useJwksUrl", "true", "validateSignature", "true",
                "defaultScope", "openid email profile")));
        idp.getConfig().put("syncMode", "FORCE");
        realm.identityProviders().create(idp).close();
        return realm.identityProviders().get(alias).toRepresentation();
    }

    /** Adds the domain guard mapper to an IdP (the domain step's policy before Keycloak writes anything). */
    public static void guard(RealmResource realm, String alias) {
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("crm-sso domain check");
        mapper.setIdentityProviderAlias(alias);
        mapper.setIdentityProviderMapper(GUARD_MAPPER);
        mapper.setConfig(new HashMap<>(Map.of("syncMode", "INHERIT")));
        realm.identityProviders().get(alias).addMapper(mapper).close();
    }

    /** The id token the stand-in issues for the next login at {@code alias}: exactly these claims (and the standard ones). */
    public static void nextLogin(MockOAuth2Server oidc, String alias, String subject, Map<String, Object> claims) {
        nextLogin(oidc, alias, alias, subject, clientId(alias), claims);
    }

    /** The same for an IdP whose stand-in issuer or client id is its own ({@code demo-google} in the crm realm). */
    public static void nextLogin(MockOAuth2Server oidc, String issuerId, String alias, String subject, String clientId,
            Map<String, Object> claims) {
        Claims next = new Claims(issuerId, subject, List.of(clientId), claims);
        synchronized (QUEUED) {
            QUEUED.computeIfAbsent(oidc, k -> new java.util.ArrayDeque<>()).add(next);
        }
        oidc.enqueueCallback(next);
    }

    /** Logins queued by {@link #nextLogin} that no token request has taken yet, per stand-in. */
    private static final Map<MockOAuth2Server, java.util.Deque<Claims>> QUEUED = new java.util.WeakHashMap<>();

    /**
     * Takes every queued login that no token request took (a test that failed before its login reached the
     * stand-in), so that the next test's login is its own: the stand-in's queue answers strictly in order.
     */
    public static void forgetUnused(MockOAuth2Server oidc) {
        java.util.List<Claims> unused;
        synchronized (QUEUED) {
            java.util.Deque<Claims> queue = QUEUED.getOrDefault(oidc, new java.util.ArrayDeque<>());
            unused = queue.stream().filter(c -> !c.used).toList();
            queue.clear();
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (Claims c : unused) {
            try {
                http.send(java.net.http.HttpRequest.newBuilder(oidc.tokenEndpointUrl(c.issuerId()).uri())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "grant_type=client_credentials&client_id=forget&client_secret=forget&scope=openid"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A token callback that adds nothing of its own to the claims it is given (no tid = issuer id). */
    static final class Claims implements OAuth2TokenCallback {
        private final DefaultOAuth2TokenCallback delegate;
        private final Map<String, Object> claims;
        private volatile boolean used;

        Claims(String issuerId, String subject, List<String> audience, Map<String, Object> claims) {
            this.delegate = subject == null ? new DefaultOAuth2TokenCallback(issuerId)
                    : new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", audience, claims, 3600);
            this.claims = claims;
        }

        @Override
        public String issuerId() {
            return delegate.issuerId();
        }

        @Override
        public String subject(TokenRequest request) {
            return delegate.subject(request);
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return delegate.typeHeader(request);
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return delegate.audience(request);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            used = true;
            Map<String, Object> all = new HashMap<>(delegate.addClaims(request));
            all.remove("tid");
            all.putAll(claims);
            return all;
        }

        @Override
        public long tokenExpiry() {
            return delegate.tokenExpiry();
        }
    }
}

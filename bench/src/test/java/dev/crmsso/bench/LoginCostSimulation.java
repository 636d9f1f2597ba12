package dev.crmsso.bench;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.css;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.currentLocationRegex;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.crmsso.testsupport.TestApp;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Each bundle path against Keycloak's own in the same run: the two scenarios of a pair run side by
 * side (same users, same seconds, same machine), after a warm-up; pairs run one after the other.
 * Group names are what {@link BenchReport} pairs up ("P2 ..." against "P2 baseline ...").
 */
public class LoginCostSimulation extends Simulation {

    static final BenchStack STACK = BenchStack.start();
    static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
    static final Duration WARM_UP = Duration.ofSeconds(10);
    static final int USERS = Integer.getInteger("bench.users", 2);
    static final String WARM = "warm-up: ";

    private final HttpProtocolBuilder protocol = http.baseUrl(STACK.keycloak.baseUrl()).disableCaching()
            .userAgentHeader("crm-sso bench");

    private static String login(String realm) {
        return TestApp.loginUrl(STACK.keycloak, realm);
    }

    /** A password login through the browser flow, ending at the app with a code. */
    private static ChainBuilder passwordLogin(String realm) {
        return exec(flushCookieJar())
                .exec(http("login page").get(login(realm)).check(css("#kc-form-login", "action").saveAs("action")))
                .exec(http("password").post("#{action}").formParam("username", "local")
                        .formParam("password", BenchStack.PASSWORD).check(currentLocationRegex(".*[?&]code=.*").exists()));
    }

    /** "Continue with Google" through the stand-in, as a returning user, ending at the app with a code. */
    private static ChainBuilder brokeredLogin(String alias) {
        return exec(flushCookieJar())
                .exec(http("login page").get(login(BenchStack.ON)).check(css("#social-" + alias, "href").saveAs("idp")))
                .exec(http("continue with " + alias).get("#{idp}").check(currentLocationRegex(".*[?&]code=.*").exists()));
    }

    private static ChainBuilder mydbrRoundTrip() {
        return exec(session -> {
            String token = UUID.randomUUID().toString().replace("-", "");
            return session.set("token", token).set("hash", BenchStack.sha1(BenchStack.MYDBR_URL, token, STACK.mydbrSecret));
        }).exec(http("mydbr login").get(STACK.keycloak.realmUrl(BenchStack.ON) + "/protocol/mydbr/login?url="
                + URLEncoder.encode(BenchStack.MYDBR_URL, StandardCharsets.UTF_8) + "&token=#{token}&hash=#{hash}")
                .disableFollowRedirect().check(status().is(302), header("Location").transform(l -> l.contains("&hash=")).is(true)));
    }

    private static ChainBuilder oidcCodeRedirect() {
        return exec(http("oidc authorization").get(login(BenchStack.ON)).disableFollowRedirect()
                .check(status().is(302), header("Location").transform(l -> l.contains("code=")).is(true)));
    }

    /** A scenario whose every iteration is one measured group (with a session first when asked). */
    private static ScenarioBuilder measured(String name, ChainBuilder setup, ChainBuilder body, int repeat) {
        ChainBuilder each = exec(session -> session.set("t0", System.nanoTime())).group(name).on(body)
                .exec(session -> {
                    if (!name.startsWith(WARM)) {
                        BenchReport.record(name, session.getLong("t0"), !session.isFailed());
                    }
                    return session.markAsSucceeded();
                });
        return scenario(name).exec(setup).repeat(repeat).on(each);
    }

    private PopulationBuilder phases(String name, ChainBuilder setup, ChainBuilder body, int repeat,
            PopulationBuilder next) {
        PopulationBuilder measure = measured(name, setup, body, repeat).injectClosed(constantConcurrentUsers(USERS).during(MEASURE));
        PopulationBuilder warm = measured(WARM + name, setup, body, repeat).injectClosed(constantConcurrentUsers(USERS).during(WARM_UP));
        return next == null ? warm.andThen(measure) : warm.andThen(measure.andThen(next));
    }

    {
        ChainBuilder none = exec(session -> session);
        ChainBuilder session = passwordLogin(BenchStack.ON);
        PopulationBuilder bundle = phases("P2 brokered Google login, domain step in the post login flow", none,
                brokeredLogin("google"), 1,
                phases("P4 myDBR round trip with a session", session, mydbrRoundTrip(), 5,
                        phases("P5 password login, group sync on (nothing to change)", none, passwordLogin(BenchStack.ON), 1,
                                null)));
        PopulationBuilder noopFlow = phases("P2b baseline: the same login, a no-op post login flow", none,
                brokeredLogin("google-noop"), 1, null);
        PopulationBuilder keycloak = phases("P2 baseline: the same login without the step", none,
                brokeredLogin("google-plain"), 1,
                phases("P4 baseline: OIDC authorization code redirect with a session", session, oidcCodeRedirect(), 5,
                        phases("P5 baseline: password login, group sync off", none, passwordLogin(BenchStack.OFF), 1,
                                null)));
        setUp(bundle, keycloak, noopFlow).protocols(protocol);
    }

    @Override
    public void after() {
        try {
            BenchReport.write(Path.of(System.getProperty("bench.output", "target/bench.json")), Map.of(
                    "P5 group writes during the run", String.valueOf(STACK.membershipWrites()),
                    "users per scenario", String.valueOf(USERS),
                    "seconds measured per pair", String.valueOf(MEASURE.toSeconds())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

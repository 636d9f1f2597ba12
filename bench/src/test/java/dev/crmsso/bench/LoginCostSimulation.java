package dev.crmsso.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.css;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.core.CoreDsl.uniformRandomSwitch;
import static io.gatling.javaapi.http.HttpDsl.currentLocationRegex;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
    static final String L1 = "L1 mixed journeys (P1, P2, P4), many users at once";
    static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("bench.load.seconds", 60));
    static final int LOAD_USERS = Integer.getInteger("bench.load.users", 200);
    static volatile long heapBeforeLoad;

    private final HttpProtocolBuilder protocol = http.baseUrl(STACK.keycloak.baseUrl()).disableCaching()
            .userAgentHeader("crm-sso bench");

    private static String login(String realm) {
        return TestApp.loginUrl(STACK.keycloak, realm);
    }

    /** A password login through the browser flow, ending at the app with a code. */
    private static ChainBuilder passwordLogin(String realm, String username, String password) {
        return exec(flushCookieJar())
                .exec(http("login page").get(login(realm)).check(css("#kc-form-login", "action").saveAs("action")))
                .exec(http("password").post("#{action}").formParam("username", username)
                        .formParam("password", password).check(currentLocationRegex(".*[?&]code=.*").exists()));
    }

    private static ChainBuilder localLogin(String realm) {
        return passwordLogin(realm, "local", BenchStack.PASSWORD);
    }

    /** P6: a contact's password login while the CRM is black-holed: the themed "cannot be reached" page. */
    private static ChainBuilder contactRefusal(String realm) {
        return feed(CONTACTS).exec(flushCookieJar())
                .exec(http("login page").get(login(realm)).check(css("#kc-form-login", "action").saveAs("action")))
                .exec(http("password").post("#{action}").formParam("username", "#{contact}")
                        .formParam("password", "#{contactPassword}")
                        // Keycloak's error page of a refused login answers 400
                        .check(status().is(400), substring("customer database cannot be reached").exists()));
    }

    /** A CRM contact's portal-password login, each virtual user taking the next of the contacts. */
    private static ChainBuilder contactLogin(String realm) {
        return feed(CONTACTS).exec(passwordLogin(realm, "#{contact}", "#{contactPassword}"));
    }

    private static final Iterator<Map<String, Object>> CONTACTS = java.util.stream.Stream.iterate(1, i -> i % BenchStack.CONTACTS + 1)
            .map(i -> Map.<String, Object>of("contact", BenchStack.contactEmail(i), "contactPassword", BenchStack.contactPassword(i)))
            .iterator();

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

    /**
     * L1: many users at once on the bundle realm, each iteration one of the mixed journeys: a CRM
     * contact's login, a Google login through the domain step, a contact's login then myDBR.
     * Keycloak's heap after a full GC is taken before and after it.
     */
    private static PopulationBuilder mixedLoad() {
        ChainBuilder journey = uniformRandomSwitch().on(contactLogin(BenchStack.ON), brokeredLogin("google"),
                contactLogin(BenchStack.ON).exec(mydbrRoundTrip()));
        ChainBuilder each = exec(session -> session.set("t0", System.nanoTime())).group(L1).on(journey)
                .exec(session -> {
                    BenchReport.record(L1, session.getLong("t0"), !session.isFailed());
                    return session.markAsSucceeded();
                });
        return scenario("heap before L1").exec(session -> {
            heapBeforeLoad = STACK.heapAfterGcMiB();
            return session;
        }).injectOpen(atOnceUsers(1))
                .andThen(scenario(L1).exec(each).injectClosed(constantConcurrentUsers(LOAD_USERS).during(LOAD)));
    }

    {
        ChainBuilder none = exec(session -> session);
        ChainBuilder session = localLogin(BenchStack.ON);
        PopulationBuilder bundle = phases("P2 brokered Google login, domain step in the post login flow", none,
                brokeredLogin("google"), 1,
                phases("P4 myDBR round trip with a session", session, mydbrRoundTrip(), 5,
                        phases("P5 password login, group sync on (nothing to change)", none, localLogin(BenchStack.ON), 1,
                                phases("P1 CRM contact password login", none, contactLogin(BenchStack.OFF), 1,
                                        phases("P6 local user password login, CRM black-holed", none,
                                                localLogin(BenchStack.DOWN), 1,
                                                phases("P6-refusal contact's login, CRM black-holed: the themed page",
                                                        none, contactRefusal(BenchStack.DOWN), 1, mixedLoad()))))));
        PopulationBuilder noopFlow = phases("P2b baseline: the same login, a no-op post login flow", none,
                brokeredLogin("google-noop"), 1, null);
        PopulationBuilder keycloak = phases("P2 baseline: the same login without the step", none,
                brokeredLogin("google-plain"), 1,
                phases("P4 baseline: OIDC authorization code redirect with a session", session, oidcCodeRedirect(), 5,
                        phases("P5 baseline: password login, group sync off", none, localLogin(BenchStack.OFF), 1,
                                phases("P1 baseline: local user password login, same realm and flow", none,
                                        localLogin(BenchStack.OFF), 1,
                                        phases("P6 baseline: local user password login, CRM up", none,
                                                localLogin(BenchStack.OFF), 1, null)))));
        setUp(bundle, keycloak, noopFlow).protocols(protocol);
    }

    @Override
    public void after() {
        try {
            Map<String, String> notes = new LinkedHashMap<>(STACK.crmRequests);
            notes.put("P5 group writes during the run", String.valueOf(STACK.membershipWrites()));
            long heapAfterLoad = STACK.heapAfterGcMiB();
            STACK.endSessions();
            notes.put("L1 Keycloak heap after full GC (MiB): before / after / after its sessions ended",
                    heapBeforeLoad + " / " + heapAfterLoad + " / " + STACK.heapAfterGcMiB());
            notes.put("L1 users at once, seconds", LOAD_USERS + ", " + LOAD.toSeconds());
            notes.put("CRM stand-in latency (ms)", String.valueOf(Long.getLong("bench.crm.latency.ms", 0)));
            notes.put("users per scenario", String.valueOf(USERS));
            notes.put("seconds measured per pair", String.valueOf(MEASURE.toSeconds()));
            BenchReport.write(Path.of(System.getProperty("bench.output", "target/bench.json")), notes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

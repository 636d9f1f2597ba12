package dev.crmsso.testsupport;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.SampleCrm;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * The README's run command: Keycloak on http://localhost:8080 with the bundle and the {@code crm}
 * realm. Whatever the environment does not configure for real (Google, Microsoft, the CRM) is
 * played by the same stand-ins as the tests, so a newcomer can click "Continue with Google", or
 * sign in as a CRM contact, and get in.
 * Ctrl-C stops everything it started.
 *
 * <p>Arguments: the unpacked Keycloak distribution, the realm file.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path realm = Path.of(args[1]);
        int port = Integer.parseInt(env("KC_HTTP_PORT", "8080"));
        int oidcPort = Integer.parseInt(env("DEMO_OIDC_PORT", "8180"));

        Map<String, String> keycloakEnv = new LinkedHashMap<>();
        MockOAuth2Server oidc = null;
        boolean realGoogle = System.getenv("GOOGLE_CLIENT_ID") != null;
        boolean realMicrosoft = System.getenv("MICROSOFT_CLIENT_ID") != null;
        if (realGoogle) {
            keycloakEnv.put("GOOGLE_ENABLED", env("GOOGLE_ENABLED", "true"));
        }
        if (realMicrosoft) {
            keycloakEnv.put("MICROSOFT_ENABLED", env("MICROSOFT_ENABLED", "true"));
        }
        if (!realGoogle || !realMicrosoft) {
            // the demo accounts page at every "Continue with ...": the same stand-in as the tests
            oidc = StandInIdps.server(true).oidc();
            oidc.start(oidcPort);
            if (!realGoogle) {
                keycloakEnv.putAll(TestStack.standInIdpEnv("GOOGLE", oidc, TestStack.GOOGLE));
            }
            if (!realMicrosoft) {
                keycloakEnv.putAll(TestStack.standInIdpEnv("MICROSOFT", oidc, TestStack.MICROSOFT));
            }
            TestStack.ACME_POLICY_ENV.forEach((name, value) -> {
                if (System.getenv(name) == null) {
                    keycloakEnv.put(name, value);
                }
            });
        }
        // the demo's domain rule names ACME's staff group: made as an admin makes it (the domain step creates none)
        boolean demoStaffGroup = TestStack.ACME_POLICY_ENV.get("CRMSSO_DOMAIN_GROUPS").equals(keycloakEnv.get("CRMSSO_DOMAIN_GROUPS"));

        CrmStandIn crm = null;
        if (System.getenv("CRM_URL") == null) {
            crm = CrmStandIn.start(Integer.parseInt(env("DEMO_CRM_PORT", "8280")));
            keycloakEnv.putAll(TestStack.standInCrmEnv(crm));
        }

        MockOAuth2Server standIn = oidc;
        CrmStandIn crmStandIn = crm;
        Runnable stopStandIns = () -> {
            if (standIn != null) {
                standIn.shutdown();
            }
            if (crmStandIn != null) {
                crmStandIn.close();
            }
        };
        System.out.println("Starting Keycloak (the first start takes a minute) ...");
        KeycloakServer keycloak;
        try {
            keycloak = KeycloakServer.start(new KeycloakServer.Options(home).httpPort(port)
                    .importRealm(realm).env(keycloakEnv).logFile(home.resolve("keycloak.log")));
        } catch (RuntimeException e) {
            stopStandIns.run();
            throw e;
        }
        if (demoStaffGroup) {
            TestStack.createStaffGroup(keycloak);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            keycloak.close();
            stopStandIns.run();
            stopped.countDown();
        }));

        System.out.println();
        System.out.println("crm-sso is running on Keycloak " + keycloak.admin().serverInfo().getInfo().getSystemInfo().getVersion());
        System.out.println("  Admin console : " + keycloak.baseUrl() + "/admin/  (user " + KeycloakServer.ADMIN_USER
                + ", password " + KeycloakServer.ADMIN_PASSWORD + ")");
        System.out.println("  Realm login   : " + keycloak.realmUrl("crm") + "/account/");
        if (standIn != null) {
            System.out.println("  Demo mode     : " + (realGoogle ? "" : "Google ") + (realMicrosoft ? "" : "Microsoft ")
                    + "played by the stand-in at http://localhost:" + oidcPort + " (pick a demo account)");
        }
        if (crm != null) {
            System.out.println("  CRM           : coreBOS stand-in at " + crm.url() + "; sign in as a customer with "
                    + SampleCrm.ALICE_EMAIL + " / " + SampleCrm.ALICE_PASSWORD);
        }
        System.out.println("  Server log    : " + keycloak.logFile());
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.SampleCrm;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Everything a journey needs, started once: the OIDC server that plays Google and Microsoft
 * (issuers {@code /google} and {@code /microsoft}), the CRM stand-in (the {@code crm} realm's
 * contacts federation points at it), a real coreBOS ({@link CoreBosServer}, started beside Keycloak
 * from the checkout's {@code ../shared/corebos/start}; the {@code crm} realm's SAML client for it is
 * built from its URL), the page myDBR redirects land on, and a Keycloak with the bundle and the
 * {@code crm} realm imported from {@code realm-export/}.
 */
public final class TestStack implements AutoCloseable {

    public static final String GOOGLE = "google";
    public static final String MICROSOFT = "microsoft";
    /** The company's registered domain and Entra ID tenant in the tests and the demo. */
    public static final String ACME_DOMAIN = "acme.example";
    public static final String ACME_TENANT = "4f1c2b8e-6d7a-4e0b-9c3d-2a5e8f7b1c90";

    private final MockOAuth2Server oidc;
    private final StandInIdps.DemoPage demoPage;
    private final CrmStandIn crm;
    private final MydbrStandIn mydbr;
    private final MydbrStandIn corebosApp;
    private final KeycloakServer keycloak;
    private final Path vault;
    private final CompletableFuture<CoreBosServer> corebos;
    private final Path vtigerLogs;
    /** Started by the first test that asks: most runs of a few tests need no vtiger. */
    private VtigerServer vtiger;

    private TestStack(StandInIdps.Server idps, CrmStandIn crm, MydbrStandIn mydbr, MydbrStandIn corebosApp,
            KeycloakServer keycloak, Path vault, CompletableFuture<CoreBosServer> corebos) {
        this.oidc = idps.oidc();
        this.demoPage = idps.demoPage();
        this.crm = crm;
        this.mydbr = mydbr;
        this.corebosApp = corebosApp;
        this.keycloak = keycloak;
        this.vault = vault;
        this.corebos = corebos;
        this.vtigerLogs = vault.getParent().toAbsolutePath().getParent().resolve("vtiger");
    }

    /**
     * @param keycloakHome the unpacked distribution with the bundle in {@code providers/}
     * @param realmFile    the realm to import, or {@code null}
     * @param httpPort     Keycloak's port, 0 for a free one
     */
    public static TestStack start(Path keycloakHome, Path realmFile, int httpPort) {
        StandInIdps.Server idps = StandInIdps.server(false);
        MockOAuth2Server oidc = idps.oidc();
        oidc.start();
        CrmStandIn crm = CrmStandIn.start();
        MydbrStandIn mydbr = MydbrStandIn.start();
        MydbrStandIn corebosApp = MydbrStandIn.start("corebos-app", "The app coreBOS signs in for");
        Path vault = vaultDir(keycloakHome);
        // the real coreBOS starts while Keycloak does (its port is chosen now: the crm realm's SAML client names it)
        int corebosPort = KeycloakServer.freePort();
        Path corebosLogs = keycloakHome.toAbsolutePath().getParent().resolve("corebos");
        CompletableFuture<CoreBosServer> corebos = CompletableFuture.supplyAsync(
                () -> CoreBosServer.start(corebosLogs, corebosPort));
        try {
            KeycloakServer.Options options = new KeycloakServer.Options(keycloakHome).httpPort(httpPort)
                    .arg("--vault=file").arg("--vault-dir=" + vault)
                    .env(standInIdpEnv("GOOGLE", oidc, GOOGLE))
                    .env(standInIdpEnv("MICROSOFT", oidc, MICROSOFT))
                    .env(ACME_POLICY_ENV)
                    .env(standInCrmEnv(crm))
                    .env(corebosSamlEnv("http://127.0.0.1:" + corebosPort))
                    .env("MYDBR_URL", mydbr.url());
            if (realmFile != null) {
                options.importRealm(realmFile);
            }
            KeycloakServer keycloak = KeycloakServer.start(options);
            if (realmFile != null) {
                createStaffGroup(keycloak);
            }
            return new TestStack(idps, crm, mydbr, corebosApp, keycloak, vault, corebos);
        } catch (RuntimeException e) {
            closeWhenStarted(corebos);
            corebosApp.close();
            mydbr.close();
            crm.close();
            oidc.shutdown();
            throw e;
        }
    }

    /** Keycloak's plain-text file vault, read at each lookup: a test can put a secret in while Keycloak runs. */
    private static Path vaultDir(Path keycloakHome) {
        Path dir = keycloakHome.resolve("vault");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Puts a secret in the vault, for {@code ${vault.NAME}} references of a realm. */
    public void vaultSecret(String realm, String name, String value) {
        // the file vault's name for a secret: realm and name joined by "_", their own "_" doubled
        String file = realm.replace("_", "__") + "_" + name.replace("_", "__");
        try {
            Files.writeString(vault.resolve(file), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment that turns the {@code crm} realm's contacts federation on, against the stand-in. */
    public static Map<String, String> standInCrmEnv(CrmStandIn crm) {
        return Map.of(
                "CRM_ENABLED", "true",
                "CRM_URL", crm.url(),
                "CRM_API_USER", SampleCrm.API_USER,
                "CRM_ACCESS_KEY", SampleCrm.ACCESS_KEY,
                "CRM_GROUP_FIELD", SampleCrm.GROUP_FIELD);
    }

    /** The environment that turns the {@code crm} realm's SAML client for coreBOS on ({@code COREBOS_*} placeholders). */
    public static Map<String, String> corebosSamlEnv(String corebosUrl) {
        return Map.of("COREBOS_SAML_ENABLED", "true", "COREBOS_URL", corebosUrl);
    }

    /** ACME's staff group of {@link #ACME_POLICY_ENV}, made as an admin makes a domain rule's group: by hand. */
    public static void createStaffGroup(KeycloakServer keycloak) {
        var groups = keycloak.admin().realm("crm").groups();
        String staff = groups.groups("staff", 0, 10, false).stream().filter(g -> g.getPath().equals("/staff"))
                .findFirst().orElseThrow().getId();
        org.keycloak.representations.idm.GroupRepresentation acme = new org.keycloak.representations.idm.GroupRepresentation();
        acme.setName("acme");
        groups.group(staff).subGroup(acme).close();
    }

    /**
     * The crm realm's domain policy in the tests and the demo: ACME's domain and tenant, and its staff group
     * for both (Google people by their hosted domain, Microsoft people by their tenant).
     */
    public static final Map<String, String> ACME_POLICY_ENV = Map.of(
            "CRMSSO_ALLOWED_DOMAINS", ACME_DOMAIN,
            "CRMSSO_ALLOWED_TENANTS", ACME_TENANT,
            "CRMSSO_DOMAIN_GROUPS", ACME_DOMAIN + "=/staff/acme," + ACME_TENANT + "=/staff/acme");

    /**
     * The environment that enables one of the {@code crm} realm's IdPs ({@code GOOGLE_*},
     * {@code MICROSOFT_*} placeholders of the realm file) and points it at the stand-in's issuer.
     */
    public static Map<String, String> standInIdpEnv(String prefix, MockOAuth2Server oidc, String issuerId) {
        String issuer = oidc.issuerUrl(issuerId).toString();
        return Map.of(
                prefix + "_ENABLED", "true",
                prefix + "_CLIENT_ID", "demo-" + issuerId,
                prefix + "_CLIENT_SECRET", "demo-secret",
                prefix + "_AUTH_URL", issuer + "/authorize",
                prefix + "_TOKEN_URL", issuer + "/token",
                prefix + "_JWKS_URL", issuer + "/jwks",
                prefix + "_ISSUER", issuer);
    }

    public MockOAuth2Server oidc() {
        return oidc;
    }

    /** Turns the stand-in's demo accounts page (the run command's "pick an account") on or off. */
    public void demoPage(boolean on) {
        demoPage.on(on);
    }

    /** The issuer URL of the OIDC stand-in for one IdP alias ({@link #GOOGLE}, {@link #MICROSOFT}). */
    public String issuer(String alias) {
        return oidc.issuerUrl(alias).toString();
    }

    /** The CRM stand-in (coreBOS {@code webservice.php}) with its sample contacts. */
    public CrmStandIn crm() {
        return crm;
    }

    /** The page myDBR redirects land on ({@code MYDBR_URL}). */
    public MydbrStandIn mydbr() {
        return mydbr;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    /** Where coreBOS sends its SAML sign-in's answer ({@code SAML_RWURL}): an application's page. */
    public MydbrStandIn corebosApp() {
        return corebosApp;
    }

    /** The real coreBOS, once it is up (it starts with the stack; a failed start fails only the tests that ask). */
    public CoreBosServer corebos() {
        try {
            return corebos.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("The real coreBOS did not start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The real vtiger 8.2 of {@code ../shared/vtiger}, started on the first call (then the same one). */
    public synchronized VtigerServer vtiger() {
        if (vtiger == null) {
            vtiger = VtigerServer.start(vtigerLogs);
        }
        return vtiger;
    }

    private static void closeWhenStarted(CompletableFuture<CoreBosServer> corebos) {
        try {
            corebos.join().close();
        } catch (CompletionException failedToStart) {
            // it removed what it had started
        }
    }

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            synchronized (this) {
                if (vtiger != null) {
                    vtiger.close();
                }
            }
            closeWhenStarted(corebos);
            corebosApp.close();
            mydbr.close();
            crm.close();
            oidc.shutdown();
        }
    }
}

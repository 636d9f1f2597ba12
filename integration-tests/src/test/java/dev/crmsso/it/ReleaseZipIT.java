package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The release zip installed the way its README says, into a Keycloak of its own: the JARs pass
 * {@code kc.sh build}, and the realm file imports with the environment unset (IdPs and the CRM
 * federation then off, and the log says which IdPs cannot sign anybody in).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseZipIT {

    static final Path DIR = Path.of(System.getProperty("release.check.dir"));

    private static Path keycloak() throws IOException {
        try (Stream<Path> dirs = Files.list(DIR)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-")).findFirst().orElseThrow();
        }
    }

    private static Path release() throws IOException {
        try (Stream<Path> dirs = Files.list(DIR)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("crm-sso-")).findFirst().orElseThrow();
        }
    }

    /** Runs a kc.sh command with a clean environment (none of the realm's variables), returns its output. */
    private static String kc(String... args) throws Exception {
        Path home = keycloak();
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GOOGLE_") || k.startsWith("MICROSOFT_") || k.startsWith("CRMSSO_")
                || k.startsWith("CRM_"));
        env.put("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "kc.sh " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    @Order(1)
    void theJarsPassKcShBuild() throws Exception {
        Path providers = keycloak().resolve("providers");
        try (Stream<Path> jars = Files.list(release().resolve("providers"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String out = kc("build");
        assertTrue(out.contains("Server configuration updated and persisted"), out);
    }

    @Test
    @Order(2)
    void theRealmImportsWithTheEnvironmentUnsetAndItsIdpsStayOff() throws Exception {
        Path realm = release().resolve("realm/crm-realm.json");
        String imported = kc("import", "--file", realm.toString());
        for (String idp : List.of("google", "microsoft")) {
            assertTrue(imported.contains("realm crm: identity provider " + idp + " is disabled"), "said in the log: " + imported);
        }
        Path export = DIR.resolve("crm-exported.json");
        kc("export", "--realm", "crm", "--file", export.toString());
        JsonNode exported = new ObjectMapper().readTree(export.toFile());
        assertEquals("crm-sso", exported.get("loginTheme").asText());
        for (JsonNode idp : exported.get("identityProviders")) {
            assertEquals(false, idp.get("enabled").asBoolean(), idp.get("alias").asText() + " stays off without its settings");
        }
        JsonNode federation = exported.path("components").path("org.keycloak.storage.UserStorageProvider").get(0);
        assertEquals("crm-contacts", federation.path("providerId").asText());
        assertEquals("false", federation.path("config").path("enabled").get(0).asText(),
                "the CRM contacts federation stays off without its settings");
    }
}

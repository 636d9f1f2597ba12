package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.info.ServerInfoRepresentation;
import org.testcontainers.DockerClientFactory;

import dasniko.testcontainers.keycloak.KeycloakContainer;

/**
 * The smoke test in the official Keycloak container image through testcontainers-keycloak, for
 * machines with a Docker engine ({@code ./mvnw verify -Ptestcontainers -Dit.test=ContainerSmokeIT}).
 * The default path starts Keycloak from its distribution instead (see the README's developer section).
 */
class ContainerSmokeIT {

    @Test
    void theBundleLoadsInTheKeycloakImage() throws IOException {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine on this machine: testcontainers-keycloak cannot start a container");
        String version = System.getProperty("keycloak.dist.version");
        try (KeycloakContainer keycloak = new KeycloakContainer("quay.io/keycloak/keycloak:" + version)
                .withProviderLibsFrom(bundleJars())) {
            keycloak.start();
            ServerInfoRepresentation info = keycloak.getKeycloakAdminClient().serverInfo().getInfo();
            assertEquals(version, info.getSystemInfo().getVersion());
            assertTrue(info.getThemes().get("login").stream().anyMatch(t -> t.getName().equals("crm-sso")));
        }
    }

    private static List<File> bundleJars() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("keycloak.home"), "providers"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("crm-sso-")).map(Path::toFile).toList();
        }
    }
}

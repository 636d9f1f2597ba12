package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.info.ServerInfoRepresentation;
import org.keycloak.representations.info.SpiInfoRepresentation;
import org.keycloak.representations.info.ThemeInfoRepresentation;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;

/** The bundle is loaded by a real Keycloak: every provider it declares is registered. */
@ExtendWith(CrmSsoExtension.class)
class SmokeIT {

    @Test
    void runsTheKeycloakVersionAndJavaUnderTest(KeycloakServer keycloak) throws Exception {
        ServerInfoRepresentation info = keycloak.admin().serverInfo().getInfo();
        assertEquals(System.getProperty("keycloak.dist.version"), info.getSystemInfo().getVersion());
        String javaHome = System.getProperty("keycloak.java.home", "");
        if (!javaHome.isBlank()) {
            assertEquals(Path.of(javaHome).toRealPath(), Path.of(info.getSystemInfo().getJavaHome()).toRealPath(),
                    "Keycloak runs on the chosen JDK");
        }
    }

    @Test
    void registersEveryProviderOfTheBundle(KeycloakServer keycloak) {
        Map<String, SpiInfoRepresentation> spis = keycloak.admin().serverInfo().getInfo().getProviders();
        Map<String, String> expected = Map.of( // SPI -> provider id
                "authenticator", "crm-sso-domain-restriction",
                "eventsListener", "crm-group-sync",
                "required-action", "crm-group-sync",
                "identity-provider-mapper", "crm-sso-groups-claim-mapper",
                "login-protocol", "mydbr",
                "storage", "crm-contacts");
        expected.forEach((spi, id) -> assertTrue(spis.get(spi).getProviders().containsKey(id), spi + " " + id));
    }

    /**
     * The admin console saves a step's settings with the same PUT: Keycloak 26.7 refuses an alias with a comma on
     * update ("Character ',' not allowed"), so the realm file's aliases must have none.
     */
    @Test
    void theCrmRealmsDomainStepSettingsCanBeSaved(KeycloakServer keycloak) {
        var flows = keycloak.admin().realm("crm").flows();
        List<String> saved = new java.util.ArrayList<>();
        for (var flow : flows.getFlows()) {
            for (var step : flows.getExecutions(flow.getAlias())) {
                if ("crm-sso-domain-restriction".equals(step.getProviderId()) && step.getAuthenticationConfig() != null) {
                    var config = flows.getAuthenticatorConfig(step.getAuthenticationConfig());
                    flows.updateAuthenticatorConfig(config.getId(), config);
                    saved.add(config.getAlias());
                }
            }
        }
        assertEquals(2, saved.size(), "first broker login and post login: " + saved);
    }

    @Test
    void registersTheLoginTheme(KeycloakServer keycloak) {
        List<ThemeInfoRepresentation> login = keycloak.admin().serverInfo().getInfo().getThemes().get("login");
        assertTrue(login.stream().anyMatch(t -> t.getName().equals("crm-sso")), "login themes: " + login);
    }

    @Test
    void importsTheCrmRealmAndServesItsLoginPage(KeycloakServer keycloak) throws Exception {
        assertEquals("crm-sso", keycloak.admin().realm("crm").toRepresentation().getLoginTheme());
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(keycloak.accountConsoleLoginUrl("crm"))).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("kc-form-login"), "the realm's login form");
    }
}

package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.info.ServerInfoRepresentation;
import org.keycloak.representations.info.ThemeInfoRepresentation;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;

/** The bundle is loaded by a real Keycloak: every provider it declares is registered. */
@ExtendWith(CrmSsoExtension.class)
class SmokeIT {

    /** The account console's own authorization request (a public client that requires PKCE). */
    static String accountConsoleLogin(KeycloakServer keycloak, String realm) {
        String realmUrl = keycloak.realmUrl(realm);
        return realmUrl + "/protocol/openid-connect/auth?client_id=account-console&response_type=code&scope=openid"
                + "&redirect_uri=" + URLEncoder.encode(realmUrl + "/account/", StandardCharsets.UTF_8)
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    }

    @Test
    void runsTheKeycloakVersionUnderTest(KeycloakServer keycloak) {
        ServerInfoRepresentation info = keycloak.admin().serverInfo().getInfo();
        assertEquals(System.getProperty("keycloak.dist.version"), info.getSystemInfo().getVersion());
    }

    @Test
    void registersTheMydbrLoginProtocol(KeycloakServer keycloak) {
        ServerInfoRepresentation info = keycloak.admin().serverInfo().getInfo();
        assertTrue(info.getProviders().get("login-protocol").getProviders().containsKey("mydbr"), "login-protocol mydbr");
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
                .send(HttpRequest.newBuilder(URI.create(accountConsoleLogin(keycloak, "crm"))).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("kc-form-login"), "the realm's login form");
    }
}

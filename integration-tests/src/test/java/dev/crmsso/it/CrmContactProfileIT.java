package dev.crmsso.it;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.HttpLogin;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestStack;

/**
 * What the CRM publishes of a contact, on the {@code crm} realm as shipped (its user profile: no unmanaged
 * attributes): an admin sees it, read-only, on the user's page and in the admin REST answer, with the CRM's creation
 * time; neither the contact nor a local user can write it through the account console's REST API.
 */
@ExtendWith(CrmSsoExtension.class)
class CrmContactProfileIT {

    static final String REALM = "crm";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The account console is a public client that requires PKCE: this test's verifier and its S256 challenge. */
    static final String PKCE_VERIFIER = "crm-contact-profile-it-verifier-0123456789abcdef";
    static final String[] PUBLISHED = {"crm_account", "crm_account_id", "sso_groups", "contact_no", "phone", "mobile"};

    @Test
    void theAdminSeesWhatTheCrmPublishesReadOnlyAndWhenItCreatedTheContact(TestStack stack) throws Exception {
        KeycloakServer keycloak = stack.keycloak();
        JsonNode alice = adminUser(keycloak, aliceId(keycloak));
        JsonNode attributes = alice.path("attributes");
        assertEquals("Acme Corp", attributes.path("crm_account").path(0).asText(), alice.toString());
        assertTrue(attributes.path("crm_account_id").path(0).asText().matches("11x\\d+"), alice.toString());
        assertEquals(List.of("Sales", "Support"), texts(attributes.path("sso_groups")));
        assertEquals(stack.crm().contactNo(ALICE_EMAIL), attributes.path("contact_no").path(0).asText());
        assertEquals("+34 91 555 8001", attributes.path("phone").path(0).asText());
        assertEquals(LocalDateTime.parse(createdTime(8001), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .toInstant(ZoneOffset.UTC).toEpochMilli(), alice.path("createdTimestamp").asLong(), alice.toString());

        // the user's page is built from this metadata: each attribute shown, none editable
        JsonNode metadata = alice.path("userProfileMetadata").path("attributes");
        for (String name : PUBLISHED) {
            JsonNode attribute = find(metadata, name);
            assertNotNull(attribute, name + " in the user profile metadata: " + metadata);
            assertTrue(attribute.path("readOnly").asBoolean(), name + " read-only: " + attribute);
        }
        assertTrue(find(metadata, "sso_groups").path("multivalued").asBoolean());
    }

    /** An admin's update cannot change them either (nor fail with a server error). */
    @Test
    void anAdminUpdateLeavesWhatTheCrmOwns(TestStack stack) throws Exception {
        KeycloakServer keycloak = stack.keycloak();
        String id = aliceId(keycloak);
        ObjectNode update = (ObjectNode) adminUser(keycloak, id);
        update.remove("userProfileMetadata");
        ((ObjectNode) update.path("attributes")).putArray("crm_account").add("Evil Corp");
        HttpResponse<String> answer = send(keycloak, HttpRequest.newBuilder(adminUserUri(keycloak, id))
                .header("Authorization", "Bearer " + adminToken(keycloak)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(update.toString())));
        assertTrue(answer.statusCode() < 500, answer.statusCode() + " " + answer.body());
        assertEquals("Acme Corp", adminUser(keycloak, id).path("attributes").path("crm_account").path(0).asText());
    }

    /** The account console's REST API (the same profile as its form and update-profile's): nothing changes. */
    @Test
    void aContactCannotSetWhatTheCrmPublishesThroughTheAccountApi(TestStack stack) throws Exception {
        KeycloakServer keycloak = stack.keycloak();
        String token = accountToken(keycloak, ALICE_EMAIL, ALICE_PASSWORD);
        ObjectNode account = (ObjectNode) JSON.readTree(account(keycloak, token).body());
        ObjectNode forged = account.putObject("attributes");
        forged.putArray("crm_account").add("Evil Corp");
        forged.putArray("crm_account_id").add("11x1");
        forged.putArray("sso_groups").add("Management");
        forged.putArray("phone").add("+1 555 0100");
        forged.putArray("contact_no").add("CON1");
        HttpResponse<String> answer = postAccount(keycloak, token, account);
        assertTrue(answer.statusCode() < 500, "no server error: " + answer.statusCode() + " " + answer.body());

        JsonNode attributes = adminUser(keycloak, aliceId(keycloak)).path("attributes");
        assertEquals("Acme Corp", attributes.path("crm_account").path(0).asText());
        assertEquals(List.of("Sales", "Support"), texts(attributes.path("sso_groups")));
        assertEquals("+34 91 555 8001", attributes.path("phone").path(0).asText());
        assertEquals(stack.crm().contactNo(ALICE_EMAIL), attributes.path("contact_no").path(0).asText());
    }

    /**
     * A local user who puts {@code crm_account} and {@code sso_groups} on itself would be put in that account's group
     * by group sync: the shipped realm's profile lets no user write an attribute it does not declare.
     */
    @Test
    void aLocalUserCannotForgeACrmAccount(TestStack stack) throws Exception {
        KeycloakServer keycloak = stack.keycloak();
        RealmResource crm = keycloak.admin().realm(REALM);
        String username = "forger-" + System.nanoTime();
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@example.org");
        user.setFirstName("Forger");
        user.setLastName("Local");
        user.setEmailVerified(true);
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("forger-pw-1");
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        crm.users().create(user).close();

        String token = accountToken(keycloak, username, "forger-pw-1");
        ObjectNode account = (ObjectNode) JSON.readTree(account(keycloak, token).body());
        ObjectNode forged = account.putObject("attributes");
        forged.putArray("crm_account").add("Acme Corp");
        forged.putArray("sso_groups").add("Management");
        HttpResponse<String> answer = postAccount(keycloak, token, account);
        assertTrue(answer.statusCode() < 500, answer.statusCode() + " " + answer.body());

        // what is stored, whatever the profile shows: an attribute search of the database
        assertTrue(crm.users().searchByAttributes("crm_account:Acme Corp").stream()
                .noneMatch(u -> username.equals(u.getUsername())), "crm_account stored on the local user");
        assertTrue(crm.users().searchByAttributes("sso_groups:Management").stream()
                .noneMatch(u -> username.equals(u.getUsername())), "sso_groups stored on the local user");
        accountToken(keycloak, username, "forger-pw-1");
        String id = crm.users().search(username, true).get(0).getId();
        assertFalse(crm.users().get(id).groups().stream().anyMatch(g -> g.getPath().startsWith("/crm/")),
                "group sync made the local user a member of a CRM group");
    }

    // helpers

    static String aliceId(KeycloakServer keycloak) {
        return keycloak.admin().realm(REALM).users().search(ALICE_EMAIL, true).get(0).getId();
    }

    static URI adminUserUri(KeycloakServer keycloak, String id) {
        return URI.create(keycloak.baseUrl() + "/admin/realms/" + REALM + "/users/" + id);
    }

    static JsonNode adminUser(KeycloakServer keycloak, String id) throws Exception {
        HttpResponse<String> r = send(keycloak, HttpRequest.newBuilder(URI.create(adminUserUri(keycloak, id)
                + "?userProfileMetadata=true")).header("Authorization", "Bearer " + adminToken(keycloak)));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static String adminToken(KeycloakServer keycloak) {
        return keycloak.admin().tokenManager().getAccessTokenString();
    }

    /** A user's token for the account console's REST API: its login page, the password, the code with PKCE. */
    static String accountToken(KeycloakServer keycloak, String username, String password) throws Exception {
        String accountUrl = keycloak.realmUrl(REALM) + "/account/";
        HttpLogin browser = new HttpLogin();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(PKCE_VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        HttpLogin.Page form = browser.get(keycloak.realmUrl(REALM) + "/protocol/openid-connect/auth?client_id=account-console"
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(accountUrl, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256", accountUrl);
        HttpLogin.Page redirected = browser.submitLogin(form, username, password, accountUrl);
        String code = redirected.param("code");
        assertNotNull(code, "logged in: " + redirected.status() + " " + redirected.url() + "\n" + redirected.body());
        HttpResponse<String> token = send(keycloak, HttpRequest.newBuilder(
                URI.create(keycloak.realmUrl(REALM) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=account-console"
                        + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&code_verifier=" + PKCE_VERIFIER
                        + "&redirect_uri=" + URLEncoder.encode(accountUrl, StandardCharsets.UTF_8))));
        assertEquals(200, token.statusCode(), token.body());
        return JSON.readTree(token.body()).path("access_token").asText();
    }

    static HttpResponse<String> account(KeycloakServer keycloak, String token) throws Exception {
        HttpResponse<String> r = send(keycloak, HttpRequest.newBuilder(URI.create(keycloak.realmUrl(REALM) + "/account/"))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json"));
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    static HttpResponse<String> postAccount(KeycloakServer keycloak, String token, JsonNode account) throws Exception {
        return send(keycloak, HttpRequest.newBuilder(URI.create(keycloak.realmUrl(REALM) + "/account/"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(account.toString())));
    }

    static HttpResponse<String> send(KeycloakServer keycloak, HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode find(JsonNode attributes, String name) {
        for (JsonNode a : attributes) {
            if (name.equals(a.path("name").asText())) {
                return a;
            }
        }
        return null;
    }

    static List<String> texts(JsonNode array) {
        java.util.List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}

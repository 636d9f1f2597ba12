package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.crmsso.testsupport.CoreBosServer;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.TestStack;
import dev.crmsso.testsupport.crm.CoreBosSeed;
import dev.crmsso.testsupport.crm.CrmSeed;
import dev.crmsso.testsupport.crm.KnownContact;

/**
 * The journeys on the {@code crm} realm (as imported from {@code realm-export/}) with the real coreBOS of
 * {@code ../shared/corebos}, in Chromium: a CRM customer's way to myDBR with the portal password checked by the real
 * CRM, and coreBOS's own sign-in through Keycloak by SAML (its web-service entry {@code webservice.php?mode=login},
 * the realm's SAML client for {@code ${COREBOS_URL}}): staff through "Continue with Google", a consumer Gmail account
 * refused, a contact with the portal password through {@code mode=LoginPortal}.
 *
 * <p>For these tests the realm's CRM federation is pointed at the real coreBOS, as an admin would do it (saved with
 * its connection test, user cache cleared), and back at the stand-in afterwards. What coreBOS needs is seeded in the
 * test run: the staff user, the SAML settings with the realm's signing certificate, the optional changeset
 * {@code activatePortalFieldsContacts} and each contact's {@code portalloginuser}.
 */
@ExtendWith(CrmSsoExtension.class)
class CoreBosJourneysIT extends RealCrmJourneys {

    static final String REALM = BrowserJourney.REALM;
    static final String STAFF_EMAIL = "sam@" + TestStack.ACME_DOMAIN;
    static final ObjectMapper JSON = new ObjectMapper();

    static CoreBosServer corebos;
    static String staffId;

    @BeforeAll
    static void realCrm(TestStack testStack) throws Exception {
        stack = testStack;
        corebos = stack.corebos();
        CrmSeed.groups(corebos);
        CoreBosSeed.portalFields(corebos);
        staffId = CoreBosSeed.staffUser(corebos, "sam", "Sam", "Staff", STAFF_EMAIL);
        String realmUrl = stack.keycloak().realmUrl(REALM);
        CoreBosSeed.saml(corebos, realmUrl, realmUrl + "/protocol/saml", signingCertificate(realmUrl),
                stack.corebosApp().url() + "/signed-in#");
        federation = RealCrmFederation.pointAt(stack, corebos, "corebos");
    }

    /** The realm's signing certificate, from its SAML IdP metadata (what an admin pastes into coreBOS). */
    private static String signingCertificate(String realmUrl) throws Exception {
        String metadata = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(realmUrl
                + "/protocol/saml/descriptor")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("<ds:X509Certificate>([^<]+)</ds:X509Certificate>").matcher(metadata);
        assertTrue(m.find(), metadata);
        return m.group(1);
    }

    private String signInUrl(String mode) {
        return corebos.url() + "/webservice.php?mode=" + mode;
    }

    /** Waits for coreBOS's answer at SAML_RWURL: {@code response={"success":..,"result":"<one-time code>"}}. */
    private JsonNode corebosAnswer(String screenshot) throws Exception {
        // coreBOS writes the JSON into the Location unencoded ({"success":..}), which the JDK's HTTP server refuses
        // (URISyntaxException): the return URL ends in # and the answer stays in the fragment, in the browser
        String url = journey.waitForUrl(u -> u.startsWith(stack.corebosApp().url() + "/signed-in#?response="),
                "coreBOS's answer", screenshot);
        return JSON.readTree(URLDecoder.decode(url.substring(url.indexOf("response=") + 9), StandardCharsets.UTF_8));
    }

    /**
     * The one-time code's web-service session ({@code operation=getOTPAccess}, valid 30 s). coreBOS locks a session
     * to the browser that made it ({@code Webservice_Session_LockUserAgent}), so this asks with its User-Agent.
     */
    private JsonNode otpAccess(String code) throws Exception {
        return call("operation=getOTPAccess&OTPCode=" + code);
    }

    private JsonNode call(String query) throws Exception {
        String userAgent = (String) journey.browser.executeScript("return navigator.userAgent");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(corebos.url()
                + "/webservice.php?" + query)).header("User-Agent", userAgent).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode answer = JSON.readTree(body);
        assertTrue(answer.path("success").asBoolean(), query.replaceAll("sessionName=[^&]+", "sessionName=...") + ": " + body);
        return answer.path("result");
    }

    private static String q(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A CRM customer of the real coreBOS: the portal password (checked by the CRM), then myDBR with the account. */
    @Test
    void aCustomerOfTheRealCrmSignsInWithThePortalPasswordAndMydbrGetsTheAccountAndGroups() throws Exception {
        journey = new BrowserJourney("en");
        journey.customerToMydbr(stack, CrmSeed.ALICE, "corebos-customer");
        assertEquals(0, CoreBosSeed.failures(corebos, CrmSeed.ALICE.email()));
    }

    /** Staff: coreBOS's SAML login, "Continue with Google", the domain step, back at coreBOS with a session of their own. */
    @Test
    void staffSignInToCoreBosWithGoogleAndGetAWebServiceSessionOfTheirOwnCrmUser() throws Exception {
        BrowserJourney.nextIdpLogin(stack, TestStack.GOOGLE, BrowserJourney.person(STAFF_EMAIL, "hd", TestStack.ACME_DOMAIN));
        journey = new BrowserJourney("en");
        journey.open(signInUrl("login"), "corebos-staff-1-login");
        assertTrue(journey.browser.getCurrentUrl().startsWith(stack.keycloak().realmUrl(REALM)),
                "coreBOS sent the browser to Keycloak: " + journey.browser.getCurrentUrl());
        journey.continueWith(TestStack.GOOGLE);
        JsonNode answer = corebosAnswer("corebos-staff-2-signed-in");
        assertTrue(answer.path("success").asBoolean(), answer.toString());

        JsonNode session = otpAccess(answer.path("result").asText());
        assertEquals(staffId, session.path("userId").asText());
        JsonNode me = call("operation=query&sessionName=" + q(session.path("sessionName").asText())
                + "&query=" + q("SELECT user_name,email1 FROM Users;"));
        assertEquals(1, me.size(), "a staff member's session sees its own user: " + me);
        assertEquals("sam", me.get(0).path("user_name").asText());
        assertEquals(STAFF_EMAIL, me.get(0).path("email1").asText());
        assertTrue(stack.keycloak().admin().realm(REALM).users().searchByEmail(STAFF_EMAIL, true).get(0) != null);
    }

    /** A consumer Gmail account (no hosted domain) is refused on the themed page: coreBOS issues no session. */
    @Test
    void aConsumerGmailAccountIsRefusedAndCoreBosIssuesNoSession() throws Exception {
        int codes = CoreBosSeed.openOneTimeCodes(corebos);
        BrowserJourney.nextIdpLogin(stack, TestStack.GOOGLE, BrowserJourney.person("sam.staff@gmail.com"));
        journey = new BrowserJourney("en");
        journey.open(signInUrl("login"), "corebos-gmail-1-login");
        journey.continueWith(TestStack.GOOGLE);
        assertEquals("The account sam.staff@gmail.com is not part of an organisation allowed to sign in here.",
                journey.refusal("corebos-gmail-2-refused"));
        assertTrue(journey.browser.getCurrentUrl().startsWith(stack.keycloak().realmUrl(REALM)),
                "still at Keycloak: " + journey.browser.getCurrentUrl());
        assertEquals(codes, CoreBosSeed.openOneTimeCodes(corebos), "no one-time code, so no session");
    }

    /**
     * A CRM contact through coreBOS's portal entry: Keycloak's form with the portal password (checked by the CRM
     * through the federation), the assertion at coreBOS's ACS (which finds no CRM user of that email), then
     * {@code mode=LoginPortal} again with the session cookie the ACS set: a session for that contact.
     */
    @Test
    void aContactSignsInThroughThePortalEntryAndGetsASessionForThatContact() throws Exception {
        KnownContact dan = CrmSeed.DAN;
        journey = new BrowserJourney("en");
        journey.open(signInUrl("LoginPortal"), "corebos-contact-1-login");
        journey.signIn(dan.email(), dan.password());
        JsonNode first = corebosAnswer("corebos-contact-2-acs");
        assertEquals("Invalid username or password", first.path("error").asText(),
                "the ACS looks for a CRM user of that email: " + first);

        journey.open(signInUrl("LoginPortal"), "corebos-contact-3-portal-entry");
        JsonNode answer = corebosAnswer("corebos-contact-4-signed-in");
        assertTrue(answer.path("success").asBoolean(), answer.toString());
        JsonNode session = otpAccess(answer.path("result").asText());
        String contactId = CrmSeed.id(corebos.webService(), dan.email());
        assertEquals(contactId, session.path("contactid").asText(), "a session for that contact: " + session);
        JsonNode record = call("operation=retrieve&sessionName=" + q(session.path("sessionName").asText())
                + "&id=" + q(contactId));
        assertEquals(dan.lastName(), record.path("lastname").asText());
        assertEquals(0, CoreBosSeed.failures(corebos, dan.email()));
    }

    /**
     * coreBOS signs in the CRM user whose email the assertion carries, admins included: a user of the realm who set
     * their own email to a CRM admin's (Keycloak's account API, no verification) would be that admin in coreBOS.
     * The crm realm lets only admins (and the IdPs' mappers) set an email.
     */
    @Test
    void aUserCannotTakeACrmAdminsEmailAndSoCannotSignInToCoreBosAsTheAdmin() throws Exception {
        RealmResource crm = stack.keycloak().admin().realm(REALM);
        UserRepresentation eve = new UserRepresentation();
        eve.setUsername("eve");
        eve.setEmail("eve@" + TestStack.ACME_DOMAIN);
        eve.setFirstName("Eve");
        eve.setLastName("Local");
        eve.setEnabled(true);
        eve.setEmailVerified(true);
        org.keycloak.representations.idm.CredentialRepresentation password = new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue("eve-secret-1");
        password.setTemporary(false);
        eve.setCredentials(List.of(password));
        crm.users().create(eve).close();
        String adminEmail = corebos.sqlValue("SELECT email1 FROM vtiger_users WHERE user_name='admin'");

        HttpClient http = HttpClient.newHttpClient();
        String token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stack.keycloak().realmUrl(REALM)
                + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=eve"
                        + "&password=eve-secret-1")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("access_token").asText();
        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(stack.keycloak().realmUrl(REALM)
                + "/account/")).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"eve\",\"email\":\"" + adminEmail
                        + "\",\"firstName\":\"Eve\",\"lastName\":\"Local\"}")).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("Account API, eve sets her email to the CRM admin's: " + changed.statusCode() + " " + changed.body());

        journey = new BrowserJourney("en");
        journey.open(signInUrl("login"), "corebos-eve-1-login");
        journey.signIn("eve", "eve-secret-1");
        JsonNode answer = corebosAnswer("corebos-eve-2-answer");
        if (answer.path("success").asBoolean()) {
            JsonNode session = otpAccess(answer.path("result").asText());
            throw new AssertionError("coreBOS signed eve in as " + session.path("userId").asText()
                    + " (the admin is 19x1): " + session);
        }
        assertEquals("Invalid username or password", answer.path("error").asText(), "no CRM user has eve's email");
        assertEquals(400, changed.statusCode(), "the account API refuses the email: " + changed.body());
        assertEquals("eve@" + TestStack.ACME_DOMAIN, crm.users().search("eve", true).get(0).getEmail());
    }
}

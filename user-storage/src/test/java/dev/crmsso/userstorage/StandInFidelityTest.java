package dev.crmsso.userstorage;

import static dev.crmsso.testsupport.crm.SampleCrm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.crmsso.testsupport.crm.CrmStandIn;
import dev.crmsso.testsupport.crm.CrmWebService;
import dev.crmsso.testsupport.crm.VtqlQuery;

/**
 * The stand-in answers as the real coreBOS of {@code ../shared/corebos} was seen to where it differs from
 * {@code crm-webservice.md} (its README, "Behaviours of this real CRM"), so the client is tested on those answers
 * also where no real CRM runs (unit tests, benchmarks, the demo).
 */
class StandInFidelityTest {

    private CrmStandIn crm;
    private CrmClient client;

    @BeforeEach
    void start() {
        crm = CrmStandIn.start();
        client = new CrmClient(new CrmConfig(URI.create(crm.url()), API_USER, ACCESS_KEY, Flavour.COREBOS, "email",
                true, List.of(), null, Duration.ofSeconds(2), Duration.ofMillis(2500)));
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    /** Behaviour 2: no challenge for a contact whose portal is off, so no portal login is ever sent for it. */
    @Test
    void theChallengeOfAContactWhosePortalIsOffFails() {
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, client.loginPortal(BOB_EMAIL, crm.contactId(BOB_EMAIL), BOB_PASSWORD));
        assertEquals(1, crm.count("getchallenge"));
        assertEquals(0, crm.count("loginPortal"));
        // support ended, portal on: the challenge is given, the portal login refused
        assertEquals(PortalLoginResult.NO_PORTAL_ACCESS, client.loginPortal(ERIN_EMAIL, crm.contactId(ERIN_EMAIL), ERIN_PASSWORD));
        assertEquals(1, crm.count("loginPortal"));
    }

    /** Behaviour 3: count rows of Contacts carry {@code imagenamefullpath}, and so does every Contacts row. */
    @Test
    void contactsRowsAndCountRowsCarryImagenamefullpath() {
        CrmResponse count = client.query(Vtql.count("Contacts").whereEquals("email", ALICE_EMAIL));
        assertEquals("{\"count\":\"1\",\"imagenamefullpath\":\"\"}", count.result().get(0).toString());
        JsonNode row = client.query(Vtql.select("Contacts", List.of("id", "email")).whereEquals("email", ALICE_EMAIL))
                .result().get(0);
        assertEquals("", row.path("imagenamefullpath").asText(null));
        JsonNode account = client.query(Vtql.select("Accounts", List.of("id", "accountname")).limit(0, 1)).result().get(0);
        assertTrue(account.path("imagenamefullpath").isMissingNode(), "Accounts rows do not");
    }

    /** Behaviour 4: retrieve adds an object per reference field. */
    @Test
    void retrieveAnswersReferenceFieldsAsObjects() {
        String id = client.query(Vtql.select("Contacts", List.of("id")).whereEquals("email", ALICE_EMAIL)).result()
                .get(0).path("id").asText();
        JsonNode alice = new CrmWebService(crm.url(), API_USER, ACCESS_KEY).retrieve(id);
        assertEquals("11x100", alice.path("account_id").asText());
        assertEquals("Accounts", alice.path("account_idename").path("module").asText());
        assertEquals("Acme Corp", alice.path("account_idename").path("reference").asText());
        assertTrue(alice.path("assigned_user_idename").isObject());
    }

    /**
     * Behaviour 1: with parentheses, coreBOS's second parser ends a literal at a doubled quote and shifts the rest
     * onto the next condition (the real CRM's SQL: {@code (( lastname LIKE '%O') OR ( firstname LIKE 'Brien%'))}).
     */
    @Test
    void aDoubledQuoteInsideParenthesesIsReadAsCoreBosReadsIt() {
        VtqlQuery q = VtqlQuery.parse("SELECT id FROM Contacts WHERE (lastname LIKE '%O''Brien%' OR firstname LIKE '%x%');");
        assertTrue(q.secondParser);
        assertEquals(List.of(new VtqlQuery.Condition("lastname", "LIKE", List.of("%O")),
                new VtqlQuery.Condition("firstname", "LIKE", List.of("Brien%"))), q.conditions);
        assertTrue(!q.matches(Map.of("firstname", "Carol", "lastname", "O'Brien")), "the contact is not found");
        VtqlQuery plain = VtqlQuery.parse("SELECT id FROM Contacts WHERE lastname LIKE '%O''Brien%' OR firstname LIKE '%x%';");
        assertTrue(!plain.secondParser);
        assertTrue(plain.matches(Map.of("firstname", "Carol", "lastname", "O'Brien")));
        assertTrue(!VtqlQuery.parse("SELECT count(*) FROM Accounts WHERE id IN ('11x1','11x2');").secondParser,
                "IN (...) and count(*) are no parentheses to coreBOS");
    }
}

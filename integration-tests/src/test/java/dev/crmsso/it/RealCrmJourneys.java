package dev.crmsso.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import dev.crmsso.testsupport.TestStack;

/**
 * What the journeys on a real CRM share: the test run's stack, the {@code crm} realm's federation pointed at that CRM
 * for the class (set by the subclass's {@code @BeforeAll}) and back at the stand-in afterwards, and each test's
 * browser, closed after it.
 */
abstract class RealCrmJourneys {

    static TestStack stack;
    static RealCrmFederation federation;

    BrowserJourney journey;

    @AfterAll
    static void backToTheStandIn() {
        if (federation != null) {
            federation.backToTheStandIn();
            federation = null;
        }
    }

    @AfterEach
    void closeBrowser() {
        if (journey != null) {
            journey.close();
            journey = null;
        }
    }
}

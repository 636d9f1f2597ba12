package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import dev.crmsso.testsupport.ConsoleMessages;

/**
 * The admin console shows this module's settings in the admin's language: every label and help text of every
 * factory the module registers is a message key in en, es, pt, fr and de, and the five files have the same keys.
 */
class ConsoleMessagesTest {

    private final ConsoleMessages messages = ConsoleMessages.ofModule();

    @Test
    void everyLabelAndHelpTextOfEveryFactoryHasItsFiveMessages() {
        messages.assertEverySettingTranslated();
    }

    @Test
    void theFiveLanguagesHaveTheSameKeys() {
        messages.assertSameKeysInEveryLanguage();
    }

    @Test
    void aTranslationLeftOutFailsBothChecks() {
        String key = ConsoleMessages.settingTexts().values().iterator().next();
        ConsoleMessages forgotten = messages.without("es", key);
        assertThrows(AssertionFailedError.class, forgotten::assertEverySettingTranslated);
        assertThrows(AssertionFailedError.class, forgotten::assertSameKeysInEveryLanguage);
    }

    /** The pause's help names how many failures open it: the message holds the number, the code decides it. */
    @Test
    void thePausesHelpSaysHowManyFailuresPauseTheCrm() {
        String help = messages.english("crmSsoContactsBreakerOpenSecondsHelp");
        assertTrue(help.startsWith("After " + CrmBreaker.FAILURES_TO_OPEN + " CRM requests in a row"), help);
    }
}

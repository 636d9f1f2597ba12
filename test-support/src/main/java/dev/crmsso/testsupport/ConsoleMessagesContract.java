package dev.crmsso.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The admin console shows a module's settings in the admin's language: every label and help text of every factory
 * the module registers is a message key in en, es, pt, fr and de, and the five files have the same keys. A module's
 * {@code ConsoleMessagesTest} extends this, and runs it on its own JAR's messages.
 */
public abstract class ConsoleMessagesContract {

    protected final ConsoleMessages messages = ConsoleMessages.ofModule();

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
        ConsoleMessages forgotten = messages.without("de", key);
        assertThrows(AssertionFailedError.class, forgotten::assertEverySettingTranslated);
        assertThrows(AssertionFailedError.class, forgotten::assertSameKeysInEveryLanguage);
    }
}

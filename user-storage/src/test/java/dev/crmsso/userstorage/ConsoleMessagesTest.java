package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.crmsso.testsupport.ConsoleMessagesContract;

/** This module's settings in the admin console, in the admin's language ({@link ConsoleMessagesContract}). */
class ConsoleMessagesTest extends ConsoleMessagesContract {

    /** The pause's help names how many failures open it: the message holds the number, the code decides it. */
    @Test
    void thePausesHelpSaysHowManyFailuresPauseTheCrm() {
        String help = messages.english("crmSsoContactsBreakerOpenSecondsHelp");
        assertTrue(help.startsWith("After " + CrmBreaker.FAILURES_TO_OPEN + " CRM requests in a row"), help);
    }
}

package dev.crmsso.authenticator;

import dev.crmsso.testsupport.ConsoleMessagesContract;

/** This module's settings in the admin console, in the admin's language ({@link ConsoleMessagesContract}). */
class ConsoleMessagesTest extends ConsoleMessagesContract {
}

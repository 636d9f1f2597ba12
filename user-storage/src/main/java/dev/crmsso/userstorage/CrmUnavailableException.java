package dev.crmsso.userstorage;

import org.keycloak.storage.StorageUnavailableException;

/**
 * The CRM cannot answer a lookup or search outside a password login. Keycloak's {@code UserStorageManager}
 * treats a {@link StorageUnavailableException} from a user storage provider as "this provider has nobody
 * for now" and goes on with the others (local users, other federations), so an admin's user list, a
 * brokered login's look-up by email or a token refresh never fails because the CRM does. No stack trace:
 * the cause is in the message, and Keycloak logs the exception each time it degrades.
 */
final class CrmUnavailableException extends StorageUnavailableException {

    CrmUnavailableException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}

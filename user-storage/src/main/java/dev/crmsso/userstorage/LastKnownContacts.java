package dev.crmsso.userstorage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contacts this federation read last, by CRM id, at most {@link #MAX} (the least recently read go
 * first). Only a look-up by id while the CRM cannot answer uses them (a token refresh, the admin console
 * opening a contact): Keycloak ends every session of a user a look-up by id does not find, and a CRM
 * outage must not log contacts out. Never an answer while the CRM answers; never a password.
 */
final class LastKnownContacts {

    static final int MAX = 10_000;

    private final Map<String, CrmContact> contacts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CrmContact> eldest) {
            return size() > MAX;
        }
    };

    synchronized void put(CrmContact contact) {
        if (contact.crmId() != null) {
            contacts.put(contact.crmId(), contact);
        }
    }

    synchronized CrmContact get(String crmId) {
        return contacts.get(crmId);
    }

    synchronized int size() {
        return contacts.size();
    }
}

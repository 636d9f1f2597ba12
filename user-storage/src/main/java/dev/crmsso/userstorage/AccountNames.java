package dev.crmsso.userstorage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Account (organisation) names by CRM id. A contact row only carries its account's id; many
 * contacts share few accounts, whose names rarely change, so a name is kept for a few minutes.
 */
final class AccountNames {

    private static final Duration KEEP = Duration.ofMinutes(5);

    private record Entry(String name, Instant until) {
    }

    private final CrmClient crm;
    private final ConcurrentMap<String, Entry> names = new ConcurrentHashMap<>();

    AccountNames(CrmClient crm) {
        this.crm = crm;
    }

    /** The name of the account with this id, or {@code null} for no account. */
    String nameOf(String accountId) {
        if (accountId == null || accountId.isBlank() || !Vtql.isWritable(accountId)) {
            return null;
        }
        Instant now = Instant.now();
        Entry entry = names.get(accountId);
        if (entry == null || entry.until().isBefore(now)) {
            var rows = crm.query(Vtql.select("Accounts", List.of("accountname")).whereEquals("id", accountId)).result();
            entry = new Entry(rows.path(0).path("accountname").asText(null), now.plus(KEEP));
            names.put(accountId, entry);
        }
        return entry.name();
    }
}

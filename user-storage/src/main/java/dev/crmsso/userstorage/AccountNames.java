package dev.crmsso.userstorage;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Account (organisation) names by CRM id. A contact row only carries its account's id; many
 * contacts share few accounts, whose names rarely change, so a name is kept for a few minutes,
 * and the accounts of a page of contacts are asked for in one query.
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

    /**
     * The names of these accounts by id (no entry for an account the CRM does not know): the
     * ones not kept, or kept too long, are asked for in one query.
     */
    Map<String, String> namesOf(Collection<String> accountIds) {
        Instant now = Instant.now();
        Set<String> missing = new LinkedHashSet<>();
        for (String id : accountIds) {
            Entry entry = id == null ? null : names.get(id);
            if (id != null && !id.isBlank() && Vtql.isWritable(id) && (entry == null || entry.until().isBefore(now))) {
                missing.add(id);
            }
        }
        // at most 100 rows a query: page through a long list of accounts
        List<String> ask = List.copyOf(missing);
        for (int from = 0; from < ask.size(); from += Vtql.MAX_ROWS) {
            List<String> page = ask.subList(from, Math.min(ask.size(), from + Vtql.MAX_ROWS));
            // kept only once the CRM has answered: a failed query (which the caller sees) keeps nothing, so no
            // contact is ever built without its account because of it; an id the answer lacks is no account
            JsonNode rows = crm.query(Vtql.select("Accounts", List.of("id", "accountname")).whereIn("id", page)
                    .limit(0, page.size())).result();
            Map<String, Entry> answered = new HashMap<>();
            page.forEach(id -> answered.put(id, new Entry(null, now.plus(KEEP))));
            for (JsonNode row : rows) {
                answered.put(row.path("id").asText(), new Entry(row.path("accountname").asText(null), now.plus(KEEP)));
            }
            names.putAll(answered);
        }
        Map<String, String> found = new HashMap<>();
        for (String id : accountIds) {
            Entry entry = id == null ? null : names.get(id);
            if (entry != null && entry.name() != null) {
                found.put(id, entry.name());
            }
        }
        return found;
    }
}

package dev.crmsso.userstorage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds VTQL queries from validated identifiers and escaped literals only. A CRM pastes a
 * VTQL literal into MySQL almost verbatim and MySQL treats {@code \} as an escape, so every
 * backslash is doubled before every quote is; an empty literal cannot be written in VTQL, so
 * it is refused here and the caller finds nobody without asking.
 *
 * <p>A WHERE clause is never written with parentheses: coreBOS reads a WHERE with parentheses through
 * a second parser (its QueryGenerator path, {@code include/Webservices/GetExtendedQuery.php}) that ends a
 * literal at a doubled quote and shifts the rest onto the next condition, so
 * {@code (firstname LIKE '%O''Brien%' OR lastname LIKE '%O''Brien%')} finds nobody and {@code O'B} finds
 * the wrong contacts (seen on the real coreBOS, {@code ../shared/corebos/README.md}, "Behaviours" 1). A
 * condition with alternatives is therefore multiplied out: {@code a AND (b OR c)} is written
 * {@code a AND b OR a AND c}, which coreBOS's own VTQL parser hands to MySQL in order, inside one pair of
 * parentheses of its own, where AND binds before OR ({@code include/Webservices/VTQL_Parser.php},
 * {@code buildSelectStmt}).
 */
public final class Vtql {

    /** The CRM answers at most this many rows a query. */
    public static final int MAX_ROWS = 100;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** The most AND terms a multiplied-out WHERE may have (a search box over 3 fields with filters has 3). */
    private static final int MAX_TERMS = 16;

    private final String module;
    private final List<String> fields;
    /** ANDed together; each is one or more alternatives (ORed). */
    private final List<List<String>> conditions = new ArrayList<>();
    private String orderBy;
    private String limit;

    private Vtql(String module, List<String> fields) {
        this.module = identifier(module);
        this.fields = fields;
    }

    public static Vtql select(String module, List<String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("No fields to select");
        }
        fields.forEach(Vtql::identifier);
        return new Vtql(module, List.copyOf(fields));
    }

    public static Vtql count(String module) {
        return new Vtql(module, List.of("count(*)"));
    }

    /** A field or module name; anything else is refused, never escaped. */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a CRM field name: " + name);
        }
        return name;
    }

    /** A quoted literal: {@code \} doubled, then {@code '} doubled. */
    public static String literal(String value) {
        if (!isWritable(value)) {
            throw new IllegalArgumentException("VTQL cannot carry an empty or control-character value");
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** False for what no literal can carry (empty, NUL and other control characters): nobody matches it. */
    public static boolean isWritable(String value) {
        return value != null && !value.isEmpty() && value.chars().noneMatch(Character::isISOControl);
    }

    /**
     * A LIKE literal for "contains the text" ({@code %text%}), every character of the text literally: MySQL's
     * LIKE escapes first ({@code \}, {@code %}, {@code _} each preceded by {@code \}), then the literal's. Seen
     * on the real coreBOS: {@code lastname LIKE '%\\_%'} finds {@code Under_score} alone, {@code '%\\%%'}
     * {@code Per%cent} alone, {@code '%\\\\%'} {@code Back\slash} alone.
     */
    public static String containsLiteral(String text) {
        if (!isWritable(text)) {
            throw new IllegalArgumentException("VTQL cannot carry an empty or control-character value");
        }
        String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return literal("%" + escaped + "%");
    }

    /** {@code field = 'value'}. */
    public Vtql whereEquals(String field, String value) {
        conditions.add(List.of(identifier(field) + "=" + literal(value)));
        return this;
    }

    /** {@code field IN ('a','b')}: one query for several values. */
    public Vtql whereIn(String field, java.util.Collection<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("IN () matches nothing: do not ask");
        }
        // coreBOS cuts "IN (...)" out before it looks for parentheses: this stays on its own parser
        conditions.add(List.of(identifier(field) + " IN (" + values.stream().map(Vtql::literal)
                .collect(java.util.stream.Collectors.joining(",")) + ")"));
        return this;
    }

    /** One of the fields contains the text, every character of it literally ({@code %}, {@code _}, {@code \} too). */
    public Vtql whereAnyContains(List<String> fields, String text) {
        List<String> alternatives = new ArrayList<>();
        String like = containsLiteral(text);
        for (String field : fields) {
            alternatives.add(identifier(field) + " LIKE " + like);
        }
        if (alternatives.isEmpty()) {
            throw new IllegalArgumentException("No fields to search");
        }
        conditions.add(List.copyOf(alternatives));
        return this;
    }

    public Vtql orderBy(String field) {
        this.orderBy = identifier(field);
        return this;
    }

    /** {@code LIMIT offset,count}; the CRM never answers more than {@link #MAX_ROWS}. */
    public Vtql limit(int offset, int count) {
        if (offset < 0 || count < 1 || count > MAX_ROWS) {
            throw new IllegalArgumentException("LIMIT " + offset + "," + count + " is out of range");
        }
        this.limit = offset + "," + count;
        return this;
    }

    /** The WHERE multiplied out: every choice of one alternative per condition, ANDed; the terms are ORed. */
    private List<String> terms() {
        List<String> terms = List.of("");
        for (List<String> alternatives : conditions) {
            List<String> next = new ArrayList<>();
            for (String term : terms) {
                for (String alternative : alternatives) {
                    next.add(term.isEmpty() ? alternative : term + " AND " + alternative);
                }
            }
            if (next.size() > MAX_TERMS) {
                throw new IllegalArgumentException("A WHERE of more than " + MAX_TERMS + " terms");
            }
            terms = next;
        }
        return terms;
    }

    @Override
    public String toString() {
        StringBuilder q = new StringBuilder("SELECT ").append(String.join(",", fields)).append(" FROM ").append(module);
        if (!conditions.isEmpty()) {
            q.append(" WHERE ").append(String.join(" OR ", terms()));
        }
        if (orderBy != null) {
            q.append(" ORDER BY ").append(orderBy);
        }
        if (limit != null) {
            q.append(" LIMIT ").append(limit);
        }
        return q.append(';').toString();
    }
}

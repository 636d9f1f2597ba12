package dev.crmsso.userstorage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds VTQL queries from validated identifiers and escaped literals only. A CRM pastes a
 * VTQL literal into MySQL almost verbatim and MySQL treats {@code \} as an escape, so every
 * backslash is doubled before every quote is; an empty literal cannot be written in VTQL, so
 * it is refused here and the caller finds nobody without asking.
 */
public final class Vtql {

    /** The CRM answers at most this many rows a query. */
    public static final int MAX_ROWS = 100;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private final String module;
    private final List<String> fields;
    private final List<String> conditions = new ArrayList<>();
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

    /** {@code field = 'value'}. */
    public Vtql whereEquals(String field, String value) {
        conditions.add(identifier(field) + "=" + literal(value));
        return this;
    }

    /** {@code field IN ('a','b')}: one query for several values. */
    public Vtql whereIn(String field, java.util.Collection<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("IN () matches nothing: do not ask");
        }
        conditions.add(identifier(field) + " IN (" + values.stream().map(Vtql::literal)
                .collect(java.util.stream.Collectors.joining(",")) + ")");
        return this;
    }

    /** One of the fields contains the text (a {@code LIKE '%text%'}; the text must hold no {@code %}). */
    public Vtql whereAnyContains(List<String> fields, String text) {
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException("A search text cannot hold %");
        }
        List<String> alternatives = new ArrayList<>();
        for (String field : fields) {
            alternatives.add(identifier(field) + " LIKE " + literal("%" + text + "%"));
        }
        conditions.add(alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" OR ", alternatives) + ")");
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

    @Override
    public String toString() {
        StringBuilder q = new StringBuilder("SELECT ").append(String.join(",", fields)).append(" FROM ").append(module);
        if (!conditions.isEmpty()) {
            q.append(" WHERE ").append(String.join(" AND ", conditions));
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

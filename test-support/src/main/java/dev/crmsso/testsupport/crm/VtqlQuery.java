package dev.crmsso.testsupport.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The VTQL subset a coreBOS answers, parsed the way the CRM (and MySQL behind it) reads it:
 * {@code SELECT *|count(*)|f,... FROM Module [WHERE cond] [ORDER BY f [ASC|DESC]] [LIMIT [o,]n];}
 * with {@code =}, {@code LIKE}, {@code IN (...)}, {@code AND} (before {@code OR}, as MySQL), {@code OR} and
 * parentheses. String literals unescape like MySQL's: {@code ''} and {@code \'} are a quote, {@code \\} a
 * backslash, so a provider that forgets to neutralise backslashes is broken into here too.
 *
 * <p>A WHERE clause with parentheses (outside literals, {@code IN (...)} and {@code count(*)}) goes, on the real
 * coreBOS, through a second parser (the QueryGenerator path, {@code include/Webservices/GetExtendedQuery.php}
 * {@code __FQNExtendedQueryIsFQNQuery}) that ends a literal at a doubled quote and shifts the rest onto the next
 * condition: {@code (lastname LIKE '%O''Brien%' OR firstname LIKE '%x%')} is read as {@code lastname LIKE '%O'
 * OR firstname LIKE 'Brien%'} (seen on the real CRM, {@code ../shared/corebos/README.md}, "Behaviours" 1). This
 * class reads such a query the same way ({@link #secondParser}); that path also has no 100-row cap.
 */
public final class VtqlQuery {

    /** One comparison the WHERE clause made: what a test checks an attempt was reduced to. */
    public record Condition(String field, String op, List<String> values) {
    }

    public final List<String> fields;
    public final boolean count;
    /** Whether the real coreBOS reads this query through its second parser (see the class comment). */
    public final boolean secondParser;
    public final String module;
    public final List<Condition> conditions = new ArrayList<>();
    public String orderBy;
    public boolean descending;
    public int offset;
    public int limit = -1;
    private Predicate<Map<String, String>> where = r -> true;

    private final List<String> tokens;
    private int pos;

    /** {@link VtqlException} with {@code QUERY_SYNTAX_ERROR} for anything outside the subset. */
    public static VtqlQuery parse(String query) {
        boolean second = secondParser(query);
        return new VtqlQuery(tokenize(query, second), second);
    }

    /**
     * coreBOS's {@code __FQNExtendedQueryIsFQNQuery}: lower-cased, {@code not in (} means the second parser; else
     * {@code  in (...)}, {@code  count(...)}, string literals ({@code '.+'}, shortest) and empty parentheses are
     * cut out, and a {@code .} or {@code (} left after the first character means the second parser.
     */
    static boolean secondParser(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        if (Pattern.compile("\\s+not\\s+in\\s+\\(").matcher(q).find()) {
            return true;
        }
        String cleaned = Pattern.compile(" in \\(.+?\\)", Pattern.DOTALL).matcher(q).replaceAll("");
        cleaned = Pattern.compile(" count\\(.+?\\)", Pattern.DOTALL).matcher(cleaned).replaceAll("");
        cleaned = Pattern.compile("'.+?'", Pattern.DOTALL).matcher(cleaned).replaceAll("");
        cleaned = Pattern.compile("\\(\\s*\\)").matcher(cleaned).replaceAll("");
        if (Pattern.compile("\\s+is\\s+(not\\s+)?null").matcher(cleaned).find()) {
            return true;
        }
        return cleaned.indexOf('.') > 0 || cleaned.indexOf('(') > 0;
    }

    private VtqlQuery(List<String> tokens, boolean secondParser) {
        this.tokens = tokens;
        this.secondParser = secondParser;
        expectKeyword("SELECT");
        List<String> selected = new ArrayList<>();
        boolean isCount = false;
        if (peekKeyword("COUNT")) {
            next();
            expect("(");
            expect("*");
            expect(")");
            isCount = true;
        } else if (peek().equals("*")) {
            next();
        } else {
            selected.add(identifier());
            while (peek().equals(",")) {
                next();
                selected.add(identifier());
            }
        }
        this.fields = selected;
        this.count = isCount;
        expectKeyword("FROM");
        this.module = identifier();
        if (peekKeyword("WHERE")) {
            next();
            where = or();
        }
        if (peekKeyword("ORDER")) {
            next();
            expectKeyword("BY");
            orderBy = identifier();
            if (peekKeyword("DESC") || peekKeyword("ASC")) {
                descending = next().equalsIgnoreCase("DESC");
            }
        }
        if (peekKeyword("LIMIT")) {
            next();
            int first = number();
            if (peek().equals(",")) {
                next();
                offset = first;
                limit = number();
            } else {
                limit = first;
            }
        }
        expect(";");
        if (pos != tokens.size()) {
            throw syntax("text after the closing ;");
        }
    }

    public boolean matches(Map<String, String> record) {
        return where.test(record);
    }

    private Predicate<Map<String, String>> or() {
        Predicate<Map<String, String>> left = and();
        while (peekKeyword("OR")) {
            next();
            left = left.or(and());
        }
        return left;
    }

    private Predicate<Map<String, String>> and() {
        Predicate<Map<String, String>> left = primary();
        while (peekKeyword("AND")) {
            next();
            left = left.and(primary());
        }
        return left;
    }

    private Predicate<Map<String, String>> primary() {
        if (peek().equals("(")) {
            next();
            Predicate<Map<String, String>> inner = or();
            expect(")");
            return inner;
        }
        String field = identifier();
        if (peek().equals("=")) {
            next();
            String value = literal();
            conditions.add(new Condition(field, "=", List.of(value)));
            return r -> value.equalsIgnoreCase(valueOf(r, field));
        }
        if (peekKeyword("LIKE")) {
            next();
            String pattern = literal();
            conditions.add(new Condition(field, "LIKE", List.of(pattern)));
            if (secondParser) {
                return secondParserLike(field, pattern);
            }
            Pattern regex = likeToRegex(pattern);
            return r -> regex.matcher(valueOf(r, field)).matches();
        }
        if (peekKeyword("IN")) {
            next();
            expect("(");
            List<String> values = new ArrayList<>();
            values.add(literal());
            while (peek().equals(",")) {
                next();
                values.add(literal());
            }
            expect(")");
            conditions.add(new Condition(field, "IN", values));
            return r -> values.stream().anyMatch(v -> v.equalsIgnoreCase(valueOf(r, field)));
        }
        throw syntax("expected =, LIKE or IN after " + field);
    }

    /**
     * The second parser's LIKE ({@code __FQNExtendedQueryAddCondition}): {@code %x%} is "contains", {@code %x} "ends
     * with", anything else "starts with", every {@code %} removed from the value and the rest taken literally
     * ({@code _} and {@code \} too); an empty value finds nothing (seen on the real CRM: {@code (lastname LIKE '%')}
     * answers no row).
     */
    private static Predicate<Map<String, String>> secondParserLike(String field, String pattern) {
        String text = pattern.replace("%", "").toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return r -> false;
        }
        boolean leading = pattern.startsWith("%");
        boolean trailing = pattern.endsWith("%") && pattern.length() > 1;
        return r -> {
            String v = valueOf(r, field).toLowerCase(Locale.ROOT);
            return leading && trailing ? v.contains(text) : leading ? v.endsWith(text) : v.startsWith(text);
        };
    }

    /** Unknown fields are the CRM's ACCESS_DENIED, checked by the stand-in against the module. */
    private static String valueOf(Map<String, String> record, String field) {
        String v = record.get(field);
        return v == null ? "" : v;
    }

    /** MySQL LIKE: % any run, _ one character, \ escapes the next; case-insensitive. */
    static Pattern likeToRegex(String like) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    public List<String> referencedFields() {
        List<String> all = new ArrayList<>(fields);
        conditions.forEach(c -> all.add(c.field()));
        if (orderBy != null) {
            all.add(orderBy);
        }
        return all;
    }

    // tokens: identifiers/keywords/numbers, 'literals' (kept with a leading quote), punctuation

    /**
     * With {@code secondParser}, a doubled quote ends a literal's piece, and the pieces of all literals are dealt out
     * to the literal places of the query in order (the ones left over are lost), as coreBOS's second parser does.
     */
    private static List<String> tokenize(String q, boolean secondParser) {
        List<String> out = new ArrayList<>();
        List<Integer> literalPlaces = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder s = new StringBuilder("'");
                i++;
                boolean closed = false;
                while (i < q.length()) {
                    char d = q.charAt(i);
                    if (d == '\\' && i + 1 < q.length()) {
                        s.append(q.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'' && i + 1 < q.length() && q.charAt(i + 1) == '\'') {
                        if (secondParser) {
                            pieces.add(s.substring(1));
                            s.setLength(1);
                        } else {
                            s.append('\'');
                        }
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        closed = true;
                        break;
                    } else {
                        s.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw syntax("unterminated string");
                }
                pieces.add(s.substring(1));
                literalPlaces.add(out.size());
                out.add(s.toString());
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int start = i;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_')) {
                    i++;
                }
                out.add(q.substring(start, i));
            } else if ("(),;=*".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                throw syntax("unexpected character " + c);
            }
        }
        for (int n = 0; n < literalPlaces.size(); n++) {
            out.set(literalPlaces.get(n), "'" + pieces.get(n));
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : "";
    }

    private boolean peekKeyword(String keyword) {
        return peek().equalsIgnoreCase(keyword);
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw syntax("unexpected end of query");
        }
        return tokens.get(pos++);
    }

    private void expect(String token) {
        if (!next().equals(token)) {
            throw syntax("expected " + token);
        }
    }

    private void expectKeyword(String keyword) {
        if (!next().equalsIgnoreCase(keyword)) {
            throw syntax("expected " + keyword);
        }
    }

    private String identifier() {
        String t = next();
        if (!t.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw syntax("expected a name, found " + t);
        }
        return t;
    }

    private String literal() {
        String t = next();
        if (!t.startsWith("'")) {
            throw syntax("expected a string, found " + t);
        }
        if (t.length() == 1) {
            throw syntax("empty string");
        }
        return t.substring(1);
    }

    private int number() {
        String t = next();
        if (!t.matches("\\d{1,9}")) {
            throw syntax("expected a number, found " + t);
        }
        return Integer.parseInt(t);
    }

    private static VtqlException syntax(String why) {
        return new VtqlException("QUERY_SYNTAX_ERROR", "Syntax Error on line 1: " + why);
    }

    /** An error the CRM answers with {@code success:false}. */
    public static final class VtqlException extends RuntimeException {
        public final String code;

        public VtqlException(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    @Override
    public String toString() {
        return String.join(" ", tokens).toLowerCase(Locale.ROOT);
    }
}

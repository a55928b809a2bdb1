package org.lockstep.internal.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lockstep.internal.sql.Names;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlToken;

/**
 * Reads the SQL text SQLite keeps for a schema object: its normal form, for comparing two
 * texts as SQLite reads them, and what {@code pragma} functions do not tell about a table (its
 * {@code CHECK} constraints and its columns' collations).
 */
public final class SqlText {
    private SqlText() {}

    /**
     * Returns the text in normal form: its tokens separated by one space, words and quoted
     * names in lower case without quotes, strings and symbols as written, comments gone.
     */
    public static String normalize(String sql) {
        return normalize(ScriptDialect.SQLITE.tokens(sql), 0);
    }

    /**
     * Returns the tokens from {@code from} in normal form ({@link #normalize(String)}).
     *
     * @param tokens tokens of one text
     * @param from the first to take
     * @return the normal form
     */
    public static String normalize(List<SqlToken> tokens, int from) {
        return normalize(tokens, from, tokens.size());
    }

    /** Returns the tokens from {@code from} up to {@code to} (excluded) in normal form. */
    public static String normalize(List<SqlToken> tokens, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            SqlToken token = tokens.get(i);
            if (text.length() > 0) {
                text.append(' ');
            }
            switch (token.kind()) {
                case WORD:
                    text.append(Names.key(token.text()));
                    break;
                case QUOTED_IDENTIFIER:
                    text.append(Names.key(token.name()));
                    break;
                default:
                    text.append(token.text());
            }
        }
        return text.toString();
    }

    /**
     * Returns a {@code CREATE} statement's normal form from after the object's name: what it
     * defines, whatever it is called.
     */
    public static String definition(String sql) {
        List<SqlToken> tokens = ScriptDialect.SQLITE.tokens(sql);
        return normalize(tokens, afterObjectName(tokens));
    }

    /**
     * Returns the index of the token after the object's name in a {@code CREATE} statement
     * ({@code CREATE [TEMP] [UNIQUE|VIRTUAL] TABLE|INDEX|TRIGGER|VIEW [IF NOT EXISTS] [schema.]name}),
     * or 0 if the statement is not one.
     */
    public static int afterObjectName(List<SqlToken> tokens) {
        int i = 0;
        if (tokens.isEmpty() || !tokens.get(0).is("CREATE")) {
            return 0;
        }
        i++;
        while (i < tokens.size()
                && (tokens.get(i).is("TEMP")
                        || tokens.get(i).is("TEMPORARY")
                        || tokens.get(i).is("UNIQUE")
                        || tokens.get(i).is("VIRTUAL"))) {
            i++;
        }
        i++; // TABLE, INDEX, TRIGGER or VIEW
        if (i + 2 < tokens.size()
                && tokens.get(i).is("IF")
                && tokens.get(i + 1).is("NOT")
                && tokens.get(i + 2).is("EXISTS")) {
            i += 3;
        }
        if (i + 1 < tokens.size() && tokens.get(i + 1).is('.')) {
            i += 2;
        }
        return Math.min(i + 1, tokens.size());
    }

    /**
     * What a {@code CREATE TABLE} statement says that {@code pragma} functions do not.
     *
     * @param checks the {@code CHECK} constraints, column and table ones, in order
     * @param collations the declared collation of each column that has one, by {@link Names#key}
     */
    public record TableText(List<Check> checks, Map<String, String> collations) {}

    /** Reads a {@code CREATE TABLE} statement's checks and collations; none for any other text. */
    public static TableText table(String sql) {
        List<SqlToken> tokens = ScriptDialect.SQLITE.tokens(sql);
        List<Check> checks = new ArrayList<>();
        Map<String, String> collations = new HashMap<>();
        int open = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is('(') && tokens.get(i).depth() == 0) {
                open = i;
                break;
            }
            if (tokens.get(i).is("AS") || tokens.get(i).is("USING")) {
                return new TableText(checks, collations); // CREATE TABLE ... AS SELECT, or a virtual table
            }
        }
        if (open < 0) {
            return new TableText(checks, collations);
        }
        for (List<SqlToken> item : items(tokens, open)) {
            if (item.isEmpty()) {
                continue;
            }
            int start = 0;
            if (item.get(0).is("CONSTRAINT")) {
                start = 2;
            }
            boolean tableConstraint = start < item.size()
                    && (item.get(start).is("CHECK")
                            || item.get(start).is("PRIMARY")
                            || item.get(start).is("UNIQUE")
                            || item.get(start).is("FOREIGN"));
            String column = tableConstraint || start > 0 ? null : item.get(0).name();
            for (int i = start; i < item.size(); i++) {
                SqlToken token = item.get(i);
                if (token.depth() != 1) {
                    continue;
                }
                if (token.is("CHECK") && i + 1 < item.size() && item.get(i + 1).is('(')) {
                    int close = closing(item, i + 1);
                    checks.add(new Check(column, normalize(item, i + 2, close)));
                    i = close;
                } else if (column != null && token.is("COLLATE") && i + 1 < item.size()) {
                    collations.put(Names.key(column), item.get(i + 1).name());
                }
            }
        }
        return new TableText(checks, collations);
    }

    /** Returns the comma-separated items inside the parentheses that open at {@code open}. */
    public static List<List<SqlToken>> items(List<SqlToken> tokens, int open) {
        List<List<SqlToken>> items = new ArrayList<>();
        int depth = tokens.get(open).depth() + 1;
        List<SqlToken> item = new ArrayList<>();
        for (int i = open + 1; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.depth() < depth) {
                break;
            }
            if (token.depth() == depth && token.is(',')) {
                items.add(item);
                item = new ArrayList<>();
            } else {
                item.add(token);
            }
        }
        items.add(item);
        return items;
    }

    /** Returns the index of the parenthesis that closes the one at {@code open}, or the last index. */
    public static int closing(List<SqlToken> tokens, int open) {
        int depth = tokens.get(open).depth();
        for (int i = open + 1; i < tokens.size(); i++) {
            if (tokens.get(i).is(')') && tokens.get(i).depth() == depth) {
                return i;
            }
        }
        return tokens.size();
    }
}

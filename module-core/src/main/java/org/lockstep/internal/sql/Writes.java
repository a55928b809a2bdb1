package org.lockstep.internal.sql;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which tables a SQLite statement changes, data or definition, read from its tokens: what the
 * foreign-key check of a deploy must look at. When the statement is not one whose target
 * the tokens say plainly, the answer is "every table": a check may look at more than it must,
 * never at less.
 *
 * @param everything whether the statement may change any table
 * @param tables the tables it changes, lower case, when not everything; empty when it changes
 *     no table's rows or definition (a query, an index, a view, a trigger, a setting)
 */
public record Writes(boolean everything, Set<String> tables) {
    /** Changes no table. */
    public static final Writes NONE = new Writes(false, Set.of());
    /** May change any table. */
    public static final Writes EVERYTHING = new Writes(true, Set.of());

    /** Copies the set. */
    public Writes {
        tables = Set.copyOf(tables);
    }

    /**
     * Reads what a SQLite statement changes.
     *
     * @param statement a statement as {@link ScriptDialect#split} produced it
     * @return what it changes
     */
    public static Writes of(SqlStatement statement) {
        StatementTokens t = new StatementTokens(statement.sql(), ScriptDialect.SQLITE.syntax());
        if (t.keyword(0, "SELECT", "VALUES", "ANALYZE", "REINDEX", "PRAGMA", "EXPLAIN")) {
            return NONE;
        }
        if (t.startsWith("INSERT") || t.startsWith("REPLACE")) {
            int into = t.findTopLevel(0, "INTO");
            return into < 0 ? EVERYTHING : table(t, into);
        }
        if (t.startsWith("UPDATE")) {
            int at = 1;
            if (t.keyword(at, "OR")) {
                at += 2;
            }
            return table(t, at);
        }
        if (t.startsWith("DELETE", "FROM")) {
            return table(t, 2);
        }
        if (t.startsWith("CREATE") || t.startsWith("DROP")) {
            int at = 1;
            if (t.keyword(at, "TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL")) {
                at++;
            }
            if (t.keyword(at, "INDEX", "VIEW", "TRIGGER")) {
                return NONE; // definitions that change no row and no table's own definition
            }
            if (!t.keyword(at, "TABLE")) {
                return EVERYTHING;
            }
            at++;
            if (t.keyword(at, "IF")) {
                at += t.keyword(at + 1, "NOT") ? 3 : 2;
            }
            return table(t, at);
        }
        if (t.startsWith("ALTER", "TABLE")) {
            Writes altered = table(t, 2);
            int renamed = t.findTopLevel(2, "RENAME", "TO");
            if (altered.everything() || renamed < 0) {
                return altered;
            }
            Writes to = table(t, renamed);
            if (to.everything()) {
                return EVERYTHING;
            }
            Set<String> both = new LinkedHashSet<>(altered.tables());
            both.addAll(to.tables());
            return new Writes(false, both);
        }
        return EVERYTHING; // WITH ... INSERT, and anything this reading does not know
    }

    // The table named at index, after an optional schema prefix.
    private static Writes table(StatementTokens t, int index) {
        int at = t.afterSchemaPrefix(index);
        Token name = t.get(at);
        if (name == null || name.kind() == Token.Kind.SYMBOL || name.kind() == Token.Kind.META_COMMAND) {
            return EVERYTHING;
        }
        return new Writes(false, Set.of(name.name().toLowerCase(Locale.ROOT)));
    }
}

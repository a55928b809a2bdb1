package org.lockstep.internal.sql;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which tables a SQLite statement changes, data or definition, read from its tokens: what the
 * foreign-key check of a deploy must look at. When the statement is not one whose target
 * the tokens say plainly, the answer is "every table": a check may look at more than it must,
 * never at less.
 *
 * @param everything whether the statement may change any table
 * @param tables the tables it changes, keyed by {@link Names#key}, when not everything; empty when it changes
 *     no table's rows or definition (a query, an index, a view, a dropped trigger, a setting). A
 *     trigger it makes counts as writing what the trigger's body writes.
 */
public record Writes(boolean everything, Set<String> tables) {
    /** Changes no table. */
    public static final Writes NONE = new Writes(false, Set.of());
    /** May change any table. */
    public static final Writes EVERYTHING = new Writes(true, Set.of());

    private static final Set<String> SCHEMA_TABLES =
            Set.of("sqlite_schema", "sqlite_master", "sqlite_temp_schema", "sqlite_temp_master");

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
            if (t.startsWith("CREATE") && t.keyword(at, "TRIGGER")) {
                // Made, it changes nothing; fired, by a later statement or by Lockstep's own
                // history insert (counted as a write once per deploy, before the trigger may
                // exist), it writes what its body writes: counted now.
                return ofTrigger(statement.sql());
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

    /**
     * Reads what the body of a {@code CREATE TRIGGER} statement, as the schema keeps it, changes:
     * the tables its statements write. The body is found by its tokens, so a trigger named
     * {@code audit_begin} or a comment saying "begin" before the body is not taken for it.
     *
     * @param sql the trigger's {@code CREATE TRIGGER} statement
     * @return what its body changes; everything if the body cannot be read
     */
    public static Writes ofTrigger(String sql) {
        if (sql == null) {
            return EVERYTHING;
        }
        StatementTokens t = new StatementTokens(sql, ScriptDialect.SQLITE.syntax());
        int begin = -1;
        int end = -1;
        for (int i = 0; t.get(i) != null; i++) {
            boolean named = i > 0 && t.get(i - 1).is('.'); // new.begin is a column
            if (begin < 0 && t.keyword(i, "BEGIN") && !named) {
                begin = i;
            } else if (begin >= 0 && t.keyword(i, "END") && !named) {
                end = i;
            }
        }
        if (begin < 0 || end < 0) {
            return EVERYTHING;
        }
        Set<String> written = new LinkedHashSet<>();
        try {
            String body = sql.substring(t.get(begin).end(), t.get(end).start());
            for (SqlStatement statement : ScriptDialect.SQLITE.split(body)) {
                Writes writes = of(statement);
                if (writes.everything()) {
                    return EVERYTHING;
                }
                written.addAll(writes.tables());
            }
        } catch (SqlSyntaxException e) {
            return EVERYTHING;
        }
        return new Writes(false, written);
    }

    /**
     * Returns the index a {@code DROP INDEX} statement drops, as {@link Names#key} keys it: a
     * unique index a foreign key's parent columns need leaves the key unusable ("foreign key
     * mismatch"), so the check must look at its table.
     *
     * @param statement a statement as {@link ScriptDialect#split} produced it
     * @return the index's name, or empty for any other statement
     */
    public static Optional<String> droppedIndex(SqlStatement statement) {
        StatementTokens t = new StatementTokens(statement.sql(), ScriptDialect.SQLITE.syntax());
        if (!t.startsWith("DROP", "INDEX")) {
            return Optional.empty();
        }
        int at = t.keyword(2, "IF") ? 4 : 2;
        Writes index = table(t, at);
        return index.everything() ? Optional.empty() : index.tables().stream().findFirst();
    }

    /**
     * A rename by {@code ALTER TABLE}: of the table, or of one of its columns.
     *
     * @param table the table renamed, or whose column is, keyed by {@link Names#key}
     * @param column the column renamed, keyed, or null for the table itself
     * @param to the new name, keyed
     */
    public record Rename(String table, String column, String to) {}

    /**
     * Reads a rename: {@code ALTER TABLE t RENAME TO u} and {@code ALTER TABLE t RENAME
     * [COLUMN] a TO b}.
     *
     * @param statement a statement as {@link ScriptDialect#split} produced it
     * @return the rename, or empty for any other statement or one cut short
     */
    public static Optional<Rename> rename(SqlStatement statement) {
        StatementTokens t = new StatementTokens(statement.sql(), ScriptDialect.SQLITE.syntax());
        if (!t.startsWith("ALTER", "TABLE")) {
            return Optional.empty();
        }
        int at = t.afterSchemaPrefix(2);
        Writes table = table(t, 2);
        if (table.everything() || !t.keyword(at + 1, "RENAME")) {
            return Optional.empty();
        }
        String renamed = table.tables().iterator().next();
        if (t.keyword(at + 2, "TO")) {
            Writes to = table(t, at + 3);
            return to.everything() ? Optional.empty() : Optional.of(new Rename(renamed, null, only(to)));
        }
        int column = t.keyword(at + 2, "COLUMN") ? at + 3 : at + 2;
        Writes from = table(t, column);
        Writes to = t.keyword(column + 1, "TO") ? table(t, column + 2) : EVERYTHING;
        return from.everything() || to.everything()
                ? Optional.empty()
                : Optional.of(new Rename(renamed, only(from), only(to)));
    }

    private static String only(Writes writes) {
        return writes.tables().iterator().next();
    }

    // The table named at index, after an optional schema prefix. SQLite's own tables are
    // written only with writable_schema on, which can change any table's definition.
    private static Writes table(StatementTokens t, int index) {
        int at = t.afterSchemaPrefix(index);
        Token name = t.get(at);
        if (name == null || name.kind() == Token.Kind.SYMBOL || name.kind() == Token.Kind.META_COMMAND) {
            return EVERYTHING;
        }
        String key = Names.key(name.name());
        return SCHEMA_TABLES.contains(key) ? EVERYTHING : new Writes(false, Set.of(key));
    }
}

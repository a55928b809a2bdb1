package org.lockstep.internal.lint;

import java.util.ArrayList;
import java.util.List;
import org.lockstep.internal.schema.SqlText;
import org.lockstep.internal.sql.SqlToken;

/**
 * The SQL a statement uses that older SQLite versions do not have, read from its tokens. Each
 * feature names the release that brought it (https://www.sqlite.org/changes.html). Statements
 * of a trigger's body are read one by one, as SQLite reads them.
 */
final class Features {
    private Features() {}

    /**
     * A feature a statement uses.
     *
     * @param what what it is, e.g. {@code DROP COLUMN}
     * @param since the first SQLite release that has it
     */
    record Use(String what, SqliteVersion since) {}

    /** Returns every feature the statement uses that is newer than {@code oldest}, each once. */
    static List<Use> newerThan(Shape shape, SqliteVersion oldest) {
        List<Use> uses = new ArrayList<>();
        for (Use use : of(shape)) {
            if (use.since().compareTo(oldest) > 0
                    && uses.stream().noneMatch(u -> u.what().equals(use.what()))) {
                uses.add(use);
            }
        }
        return uses;
    }

    static List<Use> of(Shape shape) {
        List<Use> uses = new ArrayList<>();
        List<SqlToken> t = shape.tokens();
        switch (shape.verb()) {
            case DROP_COLUMN:
                uses.add(new Use("ALTER TABLE ... DROP COLUMN", SqliteVersion.of(3, 35)));
                break;
            case RENAME_COLUMN:
                uses.add(new Use("ALTER TABLE ... RENAME COLUMN", SqliteVersion.of(3, 25)));
                break;
            case ADD_COLUMN:
                if (generated(shape.columnDefinition(), 0)) {
                    uses.add(new Use("generated columns", SqliteVersion.of(3, 31)));
                }
                break;
            case CREATE_TABLE:
                table(t, uses);
                break;
            default:
                break;
        }
        for (List<SqlToken> statement : statements(shape)) {
            if (statement.isEmpty()) {
                continue;
            }
            SqlToken first = statement.get(0);
            boolean dml = first.is("INSERT")
                    || first.is("REPLACE")
                    || first.is("UPDATE")
                    || first.is("DELETE")
                    || first.is("WITH");
            int base = first.depth();
            for (SqlToken token : statement) {
                if (dml && token.depth() == base && token.is("RETURNING")) {
                    uses.add(new Use("RETURNING", SqliteVersion.of(3, 35)));
                }
            }
            if (first.is("UPDATE")) {
                for (SqlToken token : statement) {
                    if (token.depth() == base && token.is("FROM")) {
                        uses.add(new Use("UPDATE ... FROM", SqliteVersion.of(3, 33)));
                        break;
                    }
                }
            }
        }
        for (int i = 0; i < t.size(); i++) {
            SqlToken token = t.get(i);
            SqlToken next = i + 1 < t.size() ? t.get(i + 1) : null;
            SqlToken after = i + 2 < t.size() ? t.get(i + 2) : null;
            if (token.is("ON")
                    && next != null
                    && next.is("CONFLICT")
                    && after != null
                    && (after.is('(') || after.is("DO"))) {
                uses.add(new Use("UPSERT (INSERT ... ON CONFLICT ... DO)", SqliteVersion.of(3, 24)));
            } else if (token.is(')') && next != null && next.is("OVER")) {
                uses.add(new Use("window functions (OVER)", SqliteVersion.of(3, 25)));
            } else if (token.is(')') && next != null && next.is("FILTER") && after != null && after.is('(')) {
                uses.add(new Use("FILTER on aggregate functions", SqliteVersion.of(3, 30)));
            } else if (token.is("NULLS") && next != null && (next.is("FIRST") || next.is("LAST"))) {
                uses.add(new Use("NULLS FIRST / NULLS LAST", SqliteVersion.of(3, 30)));
            } else if (function(token, next, "iif")) {
                uses.add(new Use("iif()", SqliteVersion.of(3, 32)));
            } else if (token.is("AS")
                    && next != null
                    && (next.is("MATERIALIZED") || next.is("NOT") && after != null && after.is("MATERIALIZED"))) {
                uses.add(new Use("MATERIALIZED common table expressions", SqliteVersion.of(3, 35)));
            } else if (token.is('-') && next != null && next.is('>') && next.start() == token.end()) {
                uses.add(new Use("the -> and ->> operators", SqliteVersion.of(3, 38)));
            } else if (function(token, next, "unixepoch")) {
                uses.add(new Use("unixepoch()", SqliteVersion.of(3, 38)));
            } else if (function(token, next, "format")) {
                uses.add(new Use("format()", SqliteVersion.of(3, 38)));
            } else if ((token.is("RIGHT") || token.is("FULL"))
                    && next != null
                    && (next.is("JOIN") || next.is("OUTER") && after != null && after.is("JOIN"))) {
                uses.add(new Use("RIGHT and FULL OUTER JOIN", SqliteVersion.of(3, 39)));
            } else if (token.is("IS")
                    && next != null
                    && (next.is("DISTINCT") || next.is("NOT") && after != null && after.is("DISTINCT"))) {
                uses.add(new Use("IS [NOT] DISTINCT FROM", SqliteVersion.of(3, 39)));
            } else if (function(token, next, "concat") || function(token, next, "concat_ws")) {
                uses.add(new Use("concat() and concat_ws()", SqliteVersion.of(3, 44)));
            } else if (function(token, next, "string_agg")) {
                uses.add(new Use("string_agg()", SqliteVersion.of(3, 44)));
            }
        }
        return uses;
    }

    private static boolean function(SqlToken token, SqlToken next, String name) {
        return token.is(name) && next != null && next.is('(') && next.start() >= token.end();
    }

    // CREATE TABLE: generated columns in the body, STRICT after it.
    private static void table(List<SqlToken> t, List<Use> uses) {
        int open = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).depth() == 0 && (t.get(i).is("AS") || t.get(i).is("USING"))) {
                return;
            }
            if (t.get(i).depth() == 0 && t.get(i).is('(')) {
                open = i;
                break;
            }
        }
        if (open < 0) {
            return;
        }
        for (List<SqlToken> item : SqlText.items(t, open)) {
            if (generated(item, 1)) {
                uses.add(new Use("generated columns", SqliteVersion.of(3, 31)));
                break;
            }
        }
        for (int i = SqlText.closing(t, open) + 1; i < t.size(); i++) {
            if (t.get(i).is("STRICT")) {
                uses.add(new Use("STRICT tables", SqliteVersion.of(3, 37)));
            }
        }
    }

    // A column definition with AS (...) at its own level: GENERATED ALWAYS AS (expr), or AS (expr).
    private static boolean generated(List<SqlToken> definition, int depth) {
        for (int i = 0; i + 1 < definition.size(); i++) {
            if (definition.get(i).depth() == depth
                    && definition.get(i).is("AS")
                    && definition.get(i + 1).is('(')) {
                return true;
            }
        }
        return false;
    }

    // The statements to read one by one: a trigger's body statements, else the statement itself.
    private static List<List<SqlToken>> statements(Shape shape) {
        List<SqlToken> t = shape.tokens();
        if (shape.verb() != Shape.Verb.CREATE_TRIGGER) {
            return List.of(t);
        }
        List<List<SqlToken>> statements = new ArrayList<>();
        int begin = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).depth() == 0 && t.get(i).is("BEGIN")) {
                begin = i;
                break;
            }
        }
        List<SqlToken> current = new ArrayList<>();
        for (int i = begin + 1; begin >= 0 && i < t.size(); i++) {
            if (t.get(i).depth() == 0 && t.get(i).is(';')) {
                statements.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t.get(i));
            }
        }
        return statements; // the last part is END
    }
}

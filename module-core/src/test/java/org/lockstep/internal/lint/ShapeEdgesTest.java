package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlToken;

/**
 * How the shape reader treats statements that stop early or take a less common form. The linter
 * reads the shape of every statement, also of those that failed in the replay, so a statement cut
 * short must read as far as it goes and never fail the lint.
 */
final class ShapeEdgesTest {
    private static Shape of(String sql) {
        return Shape.of(ScriptDialect.SQLITE.tokens(sql));
    }

    @Test
    void statementsCutShortReadAsFarAsTheyGo() {
        assertEquals(Shape.Verb.OTHER, of("DROP").verb());
        Shape drop = of("DROP TABLE");
        assertEquals(Shape.Verb.DROP_TABLE, drop.verb());
        assertNull(drop.name(), "no name to read");
        assertEquals("main", of("DROP TABLE main.").name(), "a schema with nothing after its dot is the name");
        Shape trigger = of("CREATE TRIGGER tr AFTER INSERT");
        assertEquals(Shape.Verb.CREATE_TRIGGER, trigger.verb());
        assertEquals("tr", trigger.name());
        assertNull(trigger.on());
        Shape insert = of("INSERT INTO t");
        assertEquals(Shape.Verb.INSERT, insert.verb());
        assertEquals("t", insert.name());
        assertNull(insert.copy());
    }

    @Test
    void statementsOfOtherKindsReadAsOther() {
        for (String sql : List.of(
                "CREATE SCHEMA s", "DROP SCHEMA s", "ALTER TABLE t OWNER TO u", "INSERT t VALUES (1)", "PRAGMA x")) {
            assertEquals(Shape.Verb.OTHER, of(sql).verb(), sql);
        }
        assertEquals("t", of("ALTER TABLE t OWNER TO u").name(), "the table an unknown ALTER TABLE alters");
    }

    @Test
    void aTriggerBodyIsNotSearchedForItsTable() {
        Shape trigger = of("CREATE TRIGGER tr AFTER INSERT BEGIN SELECT 1 FROM a JOIN b ON a.id = b.id; END");

        assertEquals("tr", trigger.name());
        assertNull(trigger.on(), "the ON of a join in the body is not the trigger's table");
    }

    @Test
    void temporaryObjectsAreOtherButKeepTheirNames() {
        Shape table = of("CREATE TEMP TABLE scratch (x)");
        assertEquals(Shape.Verb.OTHER, table.verb());
        assertEquals("scratch", table.name());
        Shape view = of("CREATE TEMPORARY VIEW recent AS SELECT 1");
        assertEquals(Shape.Verb.OTHER, view.verb());
        assertEquals("recent", view.name());
        Shape trigger = of("CREATE TEMP TRIGGER tr AFTER INSERT ON notes BEGIN SELECT 1; END");
        assertEquals(Shape.Verb.OTHER, trigger.verb());
        assertEquals("tr", trigger.name());
        assertEquals("notes", trigger.on());
    }

    @Test
    void anUpdateWithAConflictClauseNamesItsTable() {
        Shape update = of("UPDATE OR IGNORE notes SET body = '' WHERE body IS NULL");

        assertEquals(Shape.Verb.UPDATE, update.verb());
        assertEquals("notes", update.name());
    }

    @Test
    void aCopyReadsSelectAllAndDistinctItemsAndASelectWithoutFrom() {
        Shape.Copy all = of("INSERT INTO t SELECT ALL a, b FROM s").copy();
        assertEquals(
                List.of(List.of("a"), List.of("b")),
                all.items().stream()
                        .map(item -> item.stream().map(SqlToken::text).toList())
                        .toList());
        assertEquals("s", all.source());
        Shape.Copy distinct = of("INSERT INTO t SELECT DISTINCT a FROM s").copy();
        assertEquals(
                List.of(List.of("a")),
                distinct.items().stream()
                        .map(item -> item.stream().map(SqlToken::text).toList())
                        .toList());
        Shape.Copy constants = of("INSERT INTO t SELECT 1, 'x'").copy();
        assertEquals(2, constants.items().size());
        assertNull(constants.source());
        assertEquals(List.of(), constants.where());
    }

    @Test
    void onlyACreateUniqueIndexIsUnique() {
        assertFalse(of("CREATE INDEX i ON t (a)").unique());
    }
}

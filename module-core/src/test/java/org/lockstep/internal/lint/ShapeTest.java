package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.sql.ScriptDialect;

final class ShapeTest {
    private static Shape of(String sql) {
        return Shape.of(ScriptDialect.SQLITE.tokens(sql));
    }

    @Test
    void createStatementsNameTheirObjectAndTable() {
        assertEquals(
                Shape.Verb.CREATE_TABLE,
                of("CREATE TABLE IF NOT EXISTS main.\"Notes\" (id)").verb());
        assertEquals(
                "Notes", of("CREATE TABLE IF NOT EXISTS main.\"Notes\" (id)").name());
        Shape index = of("CREATE UNIQUE INDEX i ON [t] (a) WHERE a > 0");
        assertEquals("i", index.name());
        assertEquals("t", index.on());
        assertTrue(index.unique());
        Shape trigger = of("CREATE TRIGGER tr AFTER UPDATE OF a, b ON t WHEN new.a > 0 BEGIN UPDATE u SET x = 1; END");
        assertEquals("t", trigger.on());
        assertEquals(
                Shape.Verb.CREATE_TABLE,
                of("CREATE VIRTUAL TABLE f USING fts5(x)").verb());
        assertEquals(Shape.Verb.OTHER, of("CREATE TEMP TABLE scratch (x)").verb(), "temp objects are not the schema");
    }

    @Test
    void alterTableFormsAreToldApart() {
        assertEquals(Shape.Verb.RENAME_TABLE, of("ALTER TABLE a RENAME TO b").verb());
        assertEquals("b", of("ALTER TABLE a RENAME TO b").on());
        Shape column = of("ALTER TABLE a RENAME x TO y");
        assertEquals(Shape.Verb.RENAME_COLUMN, column.verb());
        assertEquals("x", column.column());
        assertEquals("y", column.newColumn());
        Shape added = of("ALTER TABLE a ADD COLUMN c TEXT NOT NULL DEFAULT 'x'");
        assertEquals("c", added.column());
        assertEquals(5, added.columnDefinition().size());
        assertEquals("c", of("ALTER TABLE a DROP c").column());
    }

    @Test
    void insertSelectIsReadAsACopy() {
        Shape insert = of("INSERT OR IGNORE INTO t (a, b) SELECT x, coalesce(y, 0) FROM old WHERE x IS NOT NULL");

        Shape.Copy copy = insert.copy();
        assertEquals(List.of("a", "b"), copy.columns());
        assertEquals(2, copy.items().size());
        assertEquals("old", copy.source());
        assertTrue(copy.ignoring());
        assertEquals(4, copy.where().size());
        assertNull(of("INSERT INTO t VALUES (1)").copy());
    }

    @Test
    void featuresAreReadPerStatementOfATriggerBody() {
        List<Features.Use> uses = Features.of(
                of(
                        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET x = 1 FROM v; INSERT INTO w SELECT 1 FROM z; END"));

        assertEquals(
                List.of("UPDATE ... FROM"),
                uses.stream().map(Features.Use::what).toList());
        assertEquals(
                List.of(),
                Features.of(of("UPDATE t SET x = (SELECT y FROM u)")),
                "a subquery's FROM is not UPDATE FROM");
        assertEquals(List.of(), Features.of(of("CREATE TABLE t (a INTEGER UNIQUE ON CONFLICT REPLACE)")));
        assertEquals(
                List.of(),
                Features.of(of("SELECT a - > 1 FROM t")).stream()
                        .filter(u -> u.what().contains("->"))
                        .toList());
    }
}

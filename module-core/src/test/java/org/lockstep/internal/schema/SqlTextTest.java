package org.lockstep.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lockstep.internal.sql.ScriptDialect;

/** The normal form of the SQL text SQLite keeps, and what it says about a table that pragmas do not. */
final class SqlTextTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CREATE TABLE t (a)|3",
                "CREATE TABLE IF NOT EXISTS t (a)|6",
                "CREATE TABLE main.t (a)|5",
                "CREATE TABLE IF NOT EXISTS main.t (a)|8",
                "CREATE TEMP TABLE t (a)|4",
                "CREATE TEMPORARY VIEW v AS SELECT 1|4",
                "CREATE UNIQUE INDEX i ON t (a)|4",
                "CREATE VIRTUAL TABLE v USING fts5(x)|4",
                "CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 1; END|6",
                "CREATE TABLE IF|3",
                "CREATE TABLE IF NOT|3",
                "CREATE TEMP|2",
                "CREATE TABLE|2",
                "DROP TABLE t|0",
            })
    void theObjectNameEndsWhereTheDefinitionStarts(String sql, int after) {
        assertEquals(after, SqlText.afterObjectName(ScriptDialect.SQLITE.tokens(sql)), sql);
    }

    @Test
    void theDefinitionIsTheSameWhateverTheObjectIsCalledAndHowItIsWritten() {
        assertEquals(
                SqlText.definition("CREATE TABLE t (a INTEGER, b TEXT)"),
                SqlText.definition("create table if not exists main.\"Other\"  (A integer,\n b  TEXT)"));
        assertEquals(
                SqlText.definition("CREATE UNIQUE INDEX i ON t (a)"),
                SqlText.definition("CREATE UNIQUE INDEX IF NOT EXISTS j ON t(a)"));
        assertNotEquals(SqlText.definition("CREATE TABLE t (a)"), SqlText.definition("CREATE TABLE t (a, b)"));
        assertEquals("( a integer , b 'X' )", SqlText.definition("CREATE TABLE t (A INTEGER, \"B\" 'X')"));
    }

    @Test
    void checksOfColumnsAndOfTheTableAreReadWithTheirColumnAndCollationsByColumn() {
        SqlText.TableText text = SqlText.table("CREATE TABLE t (a INTEGER CHECK (a > 0) NOT NULL,"
                + " b TEXT COLLATE NOCASE CHECK (b IN ('x', 'y')), c TEXT, CONSTRAINT small CHECK (a < 10),"
                + " CHECK (length(b) > (1)), UNIQUE (b), FOREIGN KEY (c) REFERENCES p (id))");

        assertEquals(
                List.of(
                        new Check("a", "a > 0"),
                        new Check("b", "b in ( 'x' , 'y' )"),
                        new Check(null, "a < 10"),
                        new Check(null, "length ( b ) > ( 1 )")),
                text.checks());
        assertEquals(Map.of("b", "NOCASE"), text.collations());
    }

    @Test
    void aTableWithoutColumnDefinitionsHasNoChecks() {
        SqlText.TableText empty = new SqlText.TableText(List.of(), Map.of());
        assertEquals(empty, SqlText.table("CREATE TABLE t AS SELECT 1 AS a"));
        assertEquals(empty, SqlText.table("CREATE VIRTUAL TABLE v USING fts5(x)"));
        assertEquals(empty, SqlText.table("CREATE VIEW v AS SELECT (1) AS a"));
        assertEquals(empty, SqlText.table("DROP TABLE t"));
        // Cut short, as a statement an editor is still writing: nothing, and no error.
        assertEquals(empty, SqlText.table("CREATE TABLE t (a CHECK"));
        assertEquals(empty, SqlText.table("CREATE TABLE t (a COLLATE"));
        assertEquals(empty, SqlText.table("CREATE TABLE t (CONSTRAINT c"));
    }

    @Test
    void itemsAreSplitAtTheTopLevelCommasOnlyAndClosingFindsTheMatchingParenthesis() {
        List<org.lockstep.internal.sql.SqlToken> tokens = ScriptDialect.SQLITE.tokens("f(a, g(b, c), d) + 1");
        List<List<org.lockstep.internal.sql.SqlToken>> items = SqlText.items(tokens, 1);
        assertEquals(3, items.size());
        assertEquals("g ( b , c )", SqlText.normalize(items.get(1), 0));
        assertEquals(12, SqlText.closing(tokens, 1));
        assertEquals(9, SqlText.closing(tokens, 5));
        assertEquals(2, SqlText.closing(ScriptDialect.SQLITE.tokens("(a"), 0), "unclosed: the end");
    }
}

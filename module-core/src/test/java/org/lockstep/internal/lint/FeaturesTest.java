package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.sql.ScriptDialect;

/**
 * What {@code lint --sqlite-version} reports: each feature, by the release that brought it, read
 * from the tokens that use it and not from look-alikes (a column named like a keyword, the
 * same words at another level).
 */
final class FeaturesTest {
    private static List<String> uses(String sql) {
        return Features.of(Shape.of(ScriptDialect.SQLITE.tokens(sql))).stream()
                .map(use -> use.what() + " " + use.since())
                .toList();
    }

    private static List<String> newerThan(String sql, String version) {
        return Features.newerThan(Shape.of(ScriptDialect.SQLITE.tokens(sql)), SqliteVersion.parse(version)).stream()
                .map(Features.Use::what)
                .toList();
    }

    @Test
    void alterTableFormsNameTheirRelease() {
        assertEquals(List.of("ALTER TABLE ... DROP COLUMN 3.35.0"), uses("ALTER TABLE t DROP COLUMN c"));
        assertEquals(List.of("ALTER TABLE ... RENAME COLUMN 3.25.0"), uses("ALTER TABLE t RENAME COLUMN a TO b"));
        assertEquals(
                List.of("generated columns 3.31.0"),
                uses("ALTER TABLE t ADD COLUMN g INT GENERATED ALWAYS AS (a + 1)"));
        assertEquals(List.of("generated columns 3.31.0"), uses("ALTER TABLE t ADD COLUMN g AS (a + 1) VIRTUAL"));
        assertEquals(List.of(), uses("ALTER TABLE t ADD COLUMN c INT DEFAULT (1)"));
        assertEquals(List.of(), uses("ALTER TABLE t ADD COLUMN c INT CHECK (c > 0)"));
        assertEquals(List.of(), uses("ALTER TABLE t RENAME TO u"));
    }

    @Test
    void createTableReportsGeneratedColumnsOnceAndStrictAfterTheBody() {
        assertEquals(
                List.of("generated columns 3.31.0"),
                uses("CREATE TABLE t (a INT, b INT AS (a * 2), c INT GENERATED ALWAYS AS (a * 3) STORED)"));
        assertEquals(List.of("STRICT tables 3.37.0"), uses("CREATE TABLE t (a INT) STRICT"));
        assertEquals(List.of("STRICT tables 3.37.0"), uses("CREATE TABLE t (a INT PRIMARY KEY) WITHOUT ROWID, STRICT"));
        assertEquals(List.of(), uses("CREATE TABLE t (strict INT, a INT CHECK (a IN (SELECT 1 AS x)))"));
        assertEquals(List.of(), uses("CREATE TABLE t (a INT, CHECK (a > 0))"));
        assertEquals(List.of(), uses("CREATE TABLE t AS SELECT a AS b FROM u"));
        assertEquals(List.of(), uses("CREATE VIRTUAL TABLE f USING fts5(a, b)"));
        assertEquals(List.of(), uses("CREATE TABLE t"));
    }

    @Test
    void returningIsReadAtTheTopLevelOfEveryWritingStatement() {
        for (String sql : List.of(
                "INSERT INTO t VALUES (1) RETURNING id",
                "REPLACE INTO t VALUES (1) RETURNING id",
                "UPDATE t SET a = 1 RETURNING id",
                "DELETE FROM t RETURNING *",
                "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x RETURNING id")) {
            assertEquals(List.of("RETURNING 3.35.0"), uses(sql), sql);
        }
        assertEquals(List.of(), uses("SELECT 1 AS returning"), "not a writing statement");
        assertEquals(List.of(), uses("INSERT INTO t SELECT * FROM (SELECT 1 AS returning)"), "in a subquery");
    }

    @Test
    void updateFromIsReadAtTheTopLevelAndInsideTriggerBodies() {
        assertEquals(List.of("UPDATE ... FROM 3.33.0"), uses("UPDATE t SET a = u.a FROM u WHERE u.id = t.id"));
        assertEquals(List.of(), uses("UPDATE t SET a = (SELECT a FROM u WHERE u.id = t.id)"));
        assertEquals(List.of(), uses("DELETE FROM t WHERE id IN (SELECT id FROM u)"));
        assertEquals(
                List.of("UPDATE ... FROM 3.33.0"),
                uses("CREATE TRIGGER tr AFTER INSERT ON t BEGIN"
                        + " INSERT INTO log VALUES (1); UPDATE u SET a = v.a FROM v; END"));
        assertEquals(
                List.of(), uses("CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET a = (SELECT a FROM v); END"));
    }

    @Test
    void expressionFeaturesAreToldFromTheirLookAlikes() {
        assertEquals(
                List.of("UPSERT (INSERT ... ON CONFLICT ... DO) 3.24.0"),
                uses("INSERT INTO t VALUES (1) ON CONFLICT (id) DO NOTHING"));
        assertEquals(
                List.of("UPSERT (INSERT ... ON CONFLICT ... DO) 3.24.0"),
                uses("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING"));
        assertEquals(List.of(), uses("CREATE TABLE t (a UNIQUE ON CONFLICT REPLACE)"));
        assertEquals(List.of(), uses("SELECT * FROM t JOIN u ON conflict"));
        assertEquals(List.of("window functions (OVER) 3.25.0"), uses("SELECT row_number() OVER (ORDER BY a) FROM t"));
        assertEquals(List.of(), uses("SELECT over FROM t"));
        assertEquals(List.of("FILTER on aggregate functions 3.30.0"), uses("SELECT count(*) FILTER (WHERE a) FROM t"));
        assertEquals(List.of(), uses("SELECT (a) filter FROM t"));
        assertEquals(List.of("NULLS FIRST / NULLS LAST 3.30.0"), uses("SELECT a FROM t ORDER BY a NULLS FIRST"));
        assertEquals(List.of("NULLS FIRST / NULLS LAST 3.30.0"), uses("SELECT a FROM t ORDER BY a DESC NULLS LAST"));
        assertEquals(List.of(), uses("SELECT nulls FROM t"));
        assertEquals(List.of("iif() 3.32.0"), uses("SELECT iif(a, 1, 2) FROM t"));
        assertEquals(List.of(), uses("SELECT iif FROM t"));
        assertEquals(
                List.of("MATERIALIZED common table expressions 3.35.0"),
                uses("WITH c AS MATERIALIZED (SELECT 1) SELECT * FROM c"));
        assertEquals(
                List.of("MATERIALIZED common table expressions 3.35.0"),
                uses("WITH c AS NOT MATERIALIZED (SELECT 1) SELECT * FROM c"));
        assertEquals(List.of(), uses("SELECT a AS not_materialized FROM t"));
        assertEquals(List.of(), uses("SELECT NOT a AS b FROM t"));
        assertEquals(List.of("the -> and ->> operators 3.38.0"), uses("SELECT a -> '$.x' FROM t"));
        assertEquals(List.of("the -> and ->> operators 3.38.0"), uses("SELECT a ->> '$.x' FROM t"));
        assertEquals(List.of(), uses("SELECT a - > 0 FROM t"), "two operators, not one");
        assertEquals(List.of("unixepoch() 3.38.0"), uses("SELECT unixepoch('now')"));
        assertEquals(List.of("format() 3.38.0"), uses("SELECT format('%d', 1)"));
        assertEquals(List.of(), uses("SELECT format FROM t"));
        assertEquals(List.of("RIGHT and FULL OUTER JOIN 3.39.0"), uses("SELECT * FROM t RIGHT JOIN u ON t.a = u.a"));
        assertEquals(List.of("RIGHT and FULL OUTER JOIN 3.39.0"), uses("SELECT * FROM t FULL OUTER JOIN u USING (a)"));
        assertEquals(List.of(), uses("SELECT * FROM t LEFT OUTER JOIN u USING (a)"));
        assertEquals(List.of(), uses("SELECT right, full FROM t"));
        assertEquals(List.of(), uses("SELECT full outer FROM t"));
        assertEquals(List.of("IS [NOT] DISTINCT FROM 3.39.0"), uses("SELECT a IS DISTINCT FROM b FROM t"));
        assertEquals(List.of("IS [NOT] DISTINCT FROM 3.39.0"), uses("SELECT a IS NOT DISTINCT FROM b FROM t"));
        assertEquals(List.of(), uses("SELECT a IS NOT NULL FROM t"));
        assertEquals(List.of(), uses("SELECT a IS b FROM t"));
        assertEquals(List.of("concat() and concat_ws() 3.44.0"), uses("SELECT concat(a, b) FROM t"));
        assertEquals(List.of("concat() and concat_ws() 3.44.0"), uses("SELECT concat_ws(',', a, b) FROM t"));
        assertEquals(List.of("string_agg() 3.44.0"), uses("SELECT string_agg(a, ',') FROM t"));
        assertEquals(List.of(), uses("SELECT concat, string_agg FROM t"));
    }

    @Test
    void newerThanReportsWhatTheOldestReleaseLacksEachFeatureOnce() {
        String sql = "SELECT iif(a, 1, 2), iif(b, 3, 4), a -> '$.x' FROM t RIGHT JOIN u USING (a)";
        assertEquals(
                List.of("iif()", "the -> and ->> operators", "RIGHT and FULL OUTER JOIN"), newerThan(sql, "3.31.9"));
        assertEquals(
                List.of("the -> and ->> operators", "RIGHT and FULL OUTER JOIN"),
                newerThan(sql, "3.32"),
                "a feature of the oldest release itself is there");
        assertEquals(List.of("RIGHT and FULL OUTER JOIN"), newerThan(sql, "3.38.5"));
        assertEquals(List.of(), newerThan(sql, "3.39.0"));
    }
}

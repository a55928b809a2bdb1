package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class PostgresSyntaxTest {

    private static List<String> sql(String text) throws SqlSyntaxException {
        return ScriptDialect.POSTGRESQL.split(text).stream()
                .map(SqlStatement::sql)
                .toList();
    }

    @Test
    void dollarQuotedBodiesKeepTheirSemicolonsWithOrWithoutATag() throws SqlSyntaxException {
        assertEquals(
                List.of(
                        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                        "DO $x$ BEGIN PERFORM 1; RAISE NOTICE '$$'; END $x$",
                        "SELECT 2"),
                sql("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
                        + "DO $x$ BEGIN PERFORM 1; RAISE NOTICE '$$'; END $x$;\nSELECT 2;"));
    }

    @Test
    void escapeStringsHonourBackslashesButStandardStringsDoNot() throws SqlSyntaxException {
        assertEquals(
                List.of("SELECT E'a\\';b'", "SELECT 'c\\'", "SELECT e'\\\\'"),
                sql("SELECT E'a\\';b'; SELECT 'c\\'; SELECT e'\\\\';"));
        assertEquals(List.of("SELECT some'x;'"), sql("SELECT some'x;';"), "only a lone E prefixes an escape string");
    }

    @Test
    void nestedBlockCommentsQuotedIdentifiersAndParenthesesDoNotEndAStatement() throws SqlSyntaxException {
        assertEquals(
                List.of("SELECT \"a;\"\"b\"", "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b)"),
                sql("/* one /* two; */ still; */ SELECT \"a;\"\"b\";\n"
                        + "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b);"));
    }

    @Test
    void sqlStandardFunctionBodiesEndAtTheirEndAsInPsql() throws SqlSyntaxException {
        assertEquals(
                List.of(
                        "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
                                + " SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; END",
                        "SELECT 3"),
                sql("CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
                        + " SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; END; SELECT 3"));
    }

    @Test
    void positionalParametersAndDollarsInIdentifiersAreNotQuotes() throws SqlSyntaxException {
        assertEquals(
                List.of("PREPARE p AS SELECT $1", "SELECT a$b$ FROM t"),
                sql("PREPARE p AS SELECT $1; SELECT a$b$ FROM t;"));
    }

    @Test
    void dollarsAndEscapePrefixesAtTheEndOfTheTextAreWords() throws SqlSyntaxException {
        assertEquals(List.of("SELECT e"), sql("SELECT e"));
        assertEquals(List.of("SELECT $a"), sql("SELECT $a"));
        assertEquals(List.of("SELECT $"), sql("SELECT $"));
        assertEquals(List.of("SELECT $1$", "$1$"), sql("SELECT $1$;$1$;"), "a tag cannot start with a digit");
        assertEquals(List.of("SELECT $\u00e9t\u00e9$;$\u00e9t\u00e9$"), sql("SELECT $\u00e9t\u00e9$;$\u00e9t\u00e9$;"));
        assertEquals(List.of("SELECT $_1$;$_1$"), sql("SELECT $_1$;$_1$;"));
        assertEquals(List.of("SELECT $\u007f$", "$\u007f$"), sql("SELECT $\u007f$;$\u007f$;"), "DEL starts no tag");
        assertEquals(List.of("SELECT $a$;$b$;$a$"), sql("SELECT $a$;$b$;$a$;"), "another tag inside is text");
    }

    @Test
    void linesAreThoseOfTheFirstTokenAcrossMultiLineBodies() throws SqlSyntaxException {
        List<SqlStatement> statements =
                ScriptDialect.POSTGRESQL.split("-- header\n\nDO $$\nBEGIN\nEND\n$$;\n\nSELECT 'a\nb';\nSELECT 1");
        assertEquals(
                List.of(3, 8, 10), statements.stream().map(SqlStatement::line).toList());
    }

    @Test
    void unclosedDollarQuoteStringOrCommentIsAnErrorWithItsLine() {
        SqlSyntaxException dollar =
                assertThrows(SqlSyntaxException.class, () -> ScriptDialect.POSTGRESQL.split("SELECT 1;\n$f$ x"));
        assertEquals(2, dollar.line());
        assertTrue(dollar.getMessage().contains("$f$"), dollar.getMessage());
        assertEquals(
                1,
                assertThrows(SqlSyntaxException.class, () -> ScriptDialect.POSTGRESQL.split("/* /* */"))
                        .line());
        assertEquals(
                1,
                assertThrows(SqlSyntaxException.class, () -> ScriptDialect.POSTGRESQL.split("SELECT E'\\'"))
                        .line());
    }

    @Test
    void bothLineFeedAndCarriageReturnEndALineCommentAsInPostgresLexer() throws SqlSyntaxException {
        assertEquals(
                List.of(
                        new SqlStatement("INSERT INTO t VALUES (1)", 1),
                        new SqlStatement("DELETE FROM t", 2),
                        new SqlStatement("SELECT 'x\ry'", 3)),
                ScriptDialect.POSTGRESQL.split("INSERT INTO t VALUES (1); -- off:\rDELETE FROM t;\r\nSELECT 'x\ry';"));
    }

    @Test
    void unclosedBlockCommentAtTheEndStaysAnErrorAsInPostgres() {
        SqlSyntaxException e = assertThrows(
                SqlSyntaxException.class, () -> ScriptDialect.POSTGRESQL.split("SELECT 1;\r\n/* to the end"));
        assertEquals(2, e.line());
        assertEquals("Block comment starting at line [2] is never closed", e.getMessage());
    }

    @Test
    void postgresRefusesWhatCannotRunInATransactionAndAllowsTheRest() throws SqlSyntaxException {
        for (String refused : List.of(
                "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
                "drop index concurrently i",
                "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
                "REINDEX (CONCURRENTLY) TABLE t",
                "REINDEX DATABASE app",
                "REINDEX SCHEMA public",
                "reindex (verbose) schema s",
                "REINDEX SYSTEM",
                "VACUUM FULL",
                "CREATE DATABASE x",
                "DROP TABLESPACE s",
                "ALTER SYSTEM SET x = 1",
                "BEGIN",
                "START TRANSACTION",
                "END",
                "ABORT",
                "SAVEPOINT a",
                "RELEASE a",
                "PREPARE TRANSACTION 'x'",
                "DISCARD ALL",
                "CREATE /*c*/ INDEX CONCURRENTLY i ON t (a)",
                "create unique -- x\n index /* y */ concurrently i on t (a)",
                "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
                "ALTER DATABASE d SET TABLESPACE s",
                "COPY t FROM STDIN",
                "copy t (a, b) from stdin with (format csv)",
                "COPY (SELECT 1) TO STDOUT",
                "\\set x 1",
                "\\echo it's done")) {
            assertTrue(
                    ScriptDialect.POSTGRESQL
                            .refusal(new SqlStatement(refused, 1))
                            .isPresent(),
                    refused);
        }
        for (String allowed : List.of(
                "CREATE INDEX i ON t (a)",
                "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
                "ALTER TYPE mood ADD VALUE 'meh'",
                "CREATE TABLE vacuum_log (a int)",
                "ATTACH_notes()",
                "REINDEX TABLE t",
                "CREATE INDEX \"concurrently\" ON t (a)",
                "REINDEX TABLE \"concurrently\"",
                "COPY t FROM '/srv/rows.csv'",
                "COPY t TO '/tmp/rows.csv'",
                "CREATE TABLE stdin (a int)",
                "COPY (SELECT a FROM stdin) TO '/tmp/rows.csv'",
                "ALTER DATABASE d SET search_path = app",
                "SELECT E'\\\\set'",
                "SELECT $$\\set$$",
                "SELECT 1 -- \\set")) {
            assertTrue(
                    ScriptDialect.POSTGRESQL
                            .refusal(new SqlStatement(allowed, 1))
                            .isEmpty(),
                    allowed);
        }
    }

    @Test
    void psqlMetaCommandRunsToTheEndOfItsLineAndIsRefusedByName() throws SqlSyntaxException {
        List<SqlStatement> statements = ScriptDialect.POSTGRESQL.split("SELECT 1;\n\\echo it's; done\rSELECT 2;");
        assertEquals(
                List.of(new SqlStatement("SELECT 1", 1), new SqlStatement("\\echo it's; done\rSELECT 2", 2)),
                statements);
        String reason = ScriptDialect.POSTGRESQL.refusal(statements.get(1)).orElseThrow();
        assertTrue(reason.startsWith("[\\echo] is a meta-command of psql, not SQL"), reason);
    }
}

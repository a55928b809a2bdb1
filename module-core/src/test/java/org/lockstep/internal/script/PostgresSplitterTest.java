package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class PostgresSplitterTest {

    private static List<String> sql(String text) throws SqlSyntaxException {
        return PostgresSplitter.split(text).stream().map(SqlStatement::sql).toList();
    }

    @Test
    void dollarQuotedBodiesKeepTheirSemicolonsWithOrWithoutATag() throws SqlSyntaxException {
        assertEquals(List.of("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "DO $x$ BEGIN PERFORM 1; RAISE NOTICE '$$'; END $x$", "SELECT 2"),
                sql("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
                        + "DO $x$ BEGIN PERFORM 1; RAISE NOTICE '$$'; END $x$;\nSELECT 2;"));
    }

    @Test
    void escapeStringsHonourBackslashesButStandardStringsDoNot() throws SqlSyntaxException {
        assertEquals(List.of("SELECT E'a\\';b'", "SELECT 'c\\'", "SELECT e'\\\\'"),
                sql("SELECT E'a\\';b'; SELECT 'c\\'; SELECT e'\\\\';"));
        assertEquals(List.of("SELECT some'x;'"), sql("SELECT some'x;';"), "only a lone E prefixes an escape string");
    }

    @Test
    void nestedBlockCommentsQuotedIdentifiersAndParenthesesDoNotEndAStatement() throws SqlSyntaxException {
        assertEquals(List.of("SELECT \"a;\"\"b\"", "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b)"),
                sql("/* one /* two; */ still; */ SELECT \"a;\"\"b\";\n"
                        + "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b);"));
    }

    @Test
    void sqlStandardFunctionBodiesEndAtTheirEndAsInPsql() throws SqlSyntaxException {
        assertEquals(List.of("CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
                + " SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; END", "SELECT 3"),
                sql("CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
                        + " SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; END; SELECT 3"));
    }

    @Test
    void positionalParametersAndDollarsInIdentifiersAreNotQuotes() throws SqlSyntaxException {
        assertEquals(List.of("PREPARE p AS SELECT $1", "SELECT a$b$ FROM t"),
                sql("PREPARE p AS SELECT $1; SELECT a$b$ FROM t;"));
    }

    @Test
    void linesAreThoseOfTheFirstTokenAcrossMultiLineBodies() throws SqlSyntaxException {
        List<SqlStatement> statements = PostgresSplitter.split("-- header\n\nDO $$\nBEGIN\nEND\n$$;\n\nSELECT 'a\nb';\nSELECT 1");
        assertEquals(List.of(3, 8, 10), statements.stream().map(SqlStatement::line).toList());
    }

    @Test
    void unclosedDollarQuoteStringOrCommentIsAnErrorWithItsLine() {
        SqlSyntaxException dollar = assertThrows(SqlSyntaxException.class, () -> PostgresSplitter.split("SELECT 1;\n$f$ x"));
        assertEquals(2, dollar.line());
        assertTrue(dollar.getMessage().contains("$f$"), dollar.getMessage());
        assertEquals(1, assertThrows(SqlSyntaxException.class, () -> PostgresSplitter.split("/* /* */")).line());
        assertEquals(1, assertThrows(SqlSyntaxException.class, () -> PostgresSplitter.split("SELECT E'\\'")).line());
    }

    @Test
    void postgresRefusesWhatCannotRunInATransactionAndAllowsTheRest() throws SqlSyntaxException {
        for (String refused : List.of("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)", "drop index concurrently i",
                "REINDEX (VERBOSE) TABLE CONCURRENTLY t", "REINDEX DATABASE app", "VACUUM FULL", "CREATE DATABASE x",
                "DROP TABLESPACE s", "ALTER SYSTEM SET x = 1", "BEGIN", "START TRANSACTION", "END", "ABORT",
                "SAVEPOINT a", "RELEASE a", "PREPARE TRANSACTION 'x'", "DISCARD ALL")) {
            assertTrue(ScriptDialect.POSTGRESQL.refusal(new SqlStatement(refused, 1)).isPresent(), refused);
        }
        for (String allowed : List.of("CREATE INDEX i ON t (a)", "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
                "ALTER TYPE mood ADD VALUE 'meh'", "CREATE TABLE vacuum_log (a int)", "ATTACH_notes()",
                "REINDEX TABLE t")) {
            assertTrue(ScriptDialect.POSTGRESQL.refusal(new SqlStatement(allowed, 1)).isEmpty(), allowed);
        }
    }
}

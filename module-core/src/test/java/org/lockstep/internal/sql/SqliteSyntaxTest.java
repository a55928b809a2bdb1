package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class SqliteSyntaxTest {

    private static List<String> sqlOf(String text) throws SqlSyntaxException {
        return ScriptDialect.SQLITE.split(text).stream().map(SqlStatement::sql).toList();
    }

    private static List<Integer> linesOf(String text) throws SqlSyntaxException {
        return ScriptDialect.SQLITE.split(text).stream().map(SqlStatement::line).toList();
    }

    @Test
    void eachSemicolonEndsOneStatement() throws SqlSyntaxException {
        assertEquals(
                List.of("CREATE TABLE a (x)", "INSERT INTO a VALUES (1)", "DROP TABLE a"),
                sqlOf("CREATE TABLE a (x);\nINSERT INTO a VALUES (1);DROP TABLE a;\n"));
    }

    @Test
    void lastStatementWithoutSemicolonIsKept() throws SqlSyntaxException {
        assertEquals(List.of("SELECT 1", "SELECT 2"), sqlOf("SELECT 1;\nSELECT 2\n"));
    }

    @Test
    void semicolonInsideStringDoesNotEndStatement() throws SqlSyntaxException {
        assertEquals(
                List.of("INSERT INTO t VALUES ('a;b', 'it''s; BEGIN END')", "SELECT 2"),
                sqlOf("INSERT INTO t VALUES ('a;b', 'it''s; BEGIN END');SELECT 2;"));
    }

    @Test
    void doubledQuoteAtEndOfStringStaysInsideString() throws SqlSyntaxException {
        assertEquals(List.of("SELECT ''';'''", "SELECT 2"), sqlOf("SELECT ''';''';SELECT 2;"));
    }

    @Test
    void semicolonInsideQuotedIdentifiersDoesNotEndStatement() throws SqlSyntaxException {
        assertEquals(
                List.of("CREATE TABLE \"a;b\" ([c;d], `e;f`, \"g\"\";\")", "SELECT 1"),
                sqlOf("CREATE TABLE \"a;b\" ([c;d], `e;f`, \"g\"\";\");\nSELECT 1;"));
    }

    @Test
    void semicolonAndQuotesInsideCommentsDoNotEndStatement() throws SqlSyntaxException {
        String text = "SELECT 1 -- it's; \"odd\n" + "  + 2 /* a ; ' \" [ ` */ + 3;\n" + "SELECT 4;";
        assertEquals(List.of("SELECT 1 -- it's; \"odd\n  + 2 /* a ; ' \" [ ` */ + 3", "SELECT 4"), sqlOf(text));
    }

    @Test
    void commentsBeforeStatementAreExcludedAndLineIsThatOfFirstToken() throws SqlSyntaxException {
        String text = "-- header; with semicolon\n"
                + "/* block\n"
                + "   comment; */\n"
                + "\n"
                + "CREATE TABLE a (x);\n"
                + "-- second\n"
                + "   INSERT INTO a VALUES (1);";
        List<SqlStatement> statements = ScriptDialect.SQLITE.split(text);
        assertEquals(
                List.of(new SqlStatement("CREATE TABLE a (x)", 5), new SqlStatement("INSERT INTO a VALUES (1)", 7)),
                statements);
    }

    @Test
    void triggerBodyWithSeveralStatementsIsOneStatement() throws SqlSyntaxException {
        String trigger = "CREATE TRIGGER notes_audit AFTER INSERT ON notes\n"
                + "BEGIN\n"
                + "    INSERT INTO audit (note_id) VALUES (new.id);\n"
                + "    UPDATE counters SET n = n + 1;\n"
                + "    DELETE FROM pending WHERE id = new.id;\n"
                + "END";
        List<SqlStatement> statements = ScriptDialect.SQLITE.split("CREATE TABLE x (a);\n" + trigger + ";\nSELECT 1;");
        assertEquals(
                List.of(
                        new SqlStatement("CREATE TABLE x (a)", 1),
                        new SqlStatement(trigger, 2),
                        new SqlStatement("SELECT 1", 8)),
                statements);
    }

    @Test
    void caseEndInsideTriggerBodyDoesNotEndTrigger() throws SqlSyntaxException {
        String trigger = "create trigger t after update on notes begin\n"
                + "    update notes set kind = case when new.size > 10 then 'big' else 'small' end\n"
                + "        where id = new.id;\n"
                + "    insert into log values (case new.kind when 'a' then 1 end);\n"
                + "end";
        assertEquals(List.of(trigger, "SELECT 2"), sqlOf(trigger + ";\nSELECT 2;"));
    }

    @Test
    void caseEndAsLastTokenOfTriggerBodyStatementDoesNotEndTrigger() throws SqlSyntaxException {
        String trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; SELECT 3; END";
        assertEquals(List.of(trigger, "SELECT 4"), sqlOf(trigger + "; SELECT 4"));
    }

    @Test
    void tempAndTemporaryTriggersAreRecognised() throws SqlSyntaxException {
        String temp = "CREATE TEMP TRIGGER t1 AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END";
        String temporary = "CREATE TEMPORARY TRIGGER IF NOT EXISTS t2 AFTER INSERT ON a BEGIN SELECT 1; END";
        assertEquals(List.of(temp, temporary), sqlOf(temp + ";\n" + temporary + ";\n"));
    }

    @Test
    void triggerEndFollowedByCommentBeforeSemicolonStillEnds() throws SqlSyntaxException {
        String trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END -- done; really\n";
        assertEquals(
                List.of("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END -- done; really", "SELECT 2"),
                sqlOf(trigger + ";SELECT 2;"));
    }

    @Test
    void identifierNamedEndInOrdinaryStatementDoesNotMatter() throws SqlSyntaxException {
        assertEquals(
                List.of(
                        "CREATE TABLE spans (begin INTEGER, end INTEGER)",
                        "SELECT END FROM spans",
                        "UPDATE spans SET end = 3"),
                sqlOf(
                        "CREATE TABLE spans (begin INTEGER, end INTEGER);\nSELECT END FROM spans;\nUPDATE spans SET end = 3;"));
    }

    @Test
    void createTableNamedTriggerIsNotATrigger() throws SqlSyntaxException {
        assertEquals(
                List.of("CREATE TABLE \"trigger\" (x)", "SELECT 1"), sqlOf("CREATE TABLE \"trigger\" (x);SELECT 1;"));
    }

    @Test
    void emptyStatementsYieldNothing() throws SqlSyntaxException {
        assertEquals(List.of("SELECT 1", "SELECT 2"), sqlOf(";;SELECT 1;;\n ; ;SELECT 2;;"));
        assertEquals(List.of(), sqlOf(";;;"));
        assertEquals(List.of(), sqlOf(""));
        assertEquals(List.of(), sqlOf("  \n\t \n"));
    }

    @Test
    void commentOnlyTextYieldsNothing() throws SqlSyntaxException {
        assertEquals(List.of(), sqlOf("-- nothing here;\n/* nor; here */\n-- last line without newline"));
        assertEquals(List.of("SELECT 1"), sqlOf("SELECT 1;\n-- trailing comment; with semicolon\n/* and block */\n"));
    }

    @Test
    void linesCountAcrossMultiLineStringsAndBlockComments() throws SqlSyntaxException {
        String text = "INSERT INTO t VALUES ('one\n"
                + "two\n"
                + "three');\n"
                + "/* a\n"
                + "   b\n"
                + "*/ SELECT \"multi\n"
                + "line\";\n"
                + "SELECT [x\n"
                + "];  SELECT `y`;\n"
                + "\n"
                + "SELECT 5";
        assertEquals(List.of(1, 6, 8, 9, 11), linesOf(text));
    }

    @Test
    void everyLineEndingCountsOneLineAsAnEditorShowsIt() throws SqlSyntaxException {
        assertEquals(
                List.of(
                        new SqlStatement("SELECT 1", 1),
                        new SqlStatement("SELECT 2", 3),
                        new SqlStatement("SELECT 3", 4),
                        new SqlStatement("SELECT 'a\r\nb\rc'", 5),
                        new SqlStatement("SELECT 4", 8)),
                ScriptDialect.SQLITE.split("SELECT 1;\r\rSELECT 2;\r\nSELECT 3;\nSELECT 'a\r\nb\rc';\rSELECT 4\n"));
    }

    @Test
    void unterminatedStringThrowsWithLineWhereItStarts() {
        SqlSyntaxException e = assertThrows(
                SqlSyntaxException.class,
                () -> ScriptDialect.SQLITE.split("SELECT 1;\n\nINSERT INTO t VALUES ('it''s\nnever;\nclosed);\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("String"), e.getMessage());
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void unterminatedQuotedIdentifiersThrowWithLineWhereTheyStart() {
        for (String opening : List.of("\"", "[", "`")) {
            SqlSyntaxException e = assertThrows(
                    SqlSyntaxException.class,
                    () -> ScriptDialect.SQLITE.split("SELECT 1;\nSELECT 2;\nSELECT " + opening + "abc;\nSELECT 3;"),
                    opening);
            assertEquals(3, e.line(), opening);
            assertTrue(e.getMessage().contains("Quoted identifier"), e.getMessage());
        }
    }

    @Test
    void unclosedBlockCommentRunsToTheEndOfTheScriptAsInSqlite() throws SqlSyntaxException {
        assertEquals(List.of("SELECT 1"), sqlOf("SELECT 1;\n/* ok */\n\n  /* never\nclosed; SELECT 2;"));
        assertEquals(
                List.of("SELECT 1", "SELECT 2 /* to the end; SELECT 3"),
                sqlOf("SELECT 1; SELECT 2 /* to the end; SELECT 3"));
    }

    @Test
    void blockCommentOpenerWithNothingAfterItIsNoCommentAsInSqlite() throws SqlSyntaxException {
        // sqlite3 fails on this last statement ("near /"); dropping it as a comment would hide that.
        assertEquals(List.of("SELECT 1", "/*"), sqlOf("SELECT 1; /*"));
    }

    @Test
    void loneCarriageReturnDoesNotEndALineCommentButCountsALine() throws SqlSyntaxException {
        assertEquals(
                List.of(new SqlStatement("INSERT INTO t VALUES (1)", 1), new SqlStatement("SELECT 2", 3)),
                ScriptDialect.SQLITE.split("INSERT INTO t VALUES (1); -- off:\rDELETE FROM t;\nSELECT 2"));
        assertEquals(List.of("SELECT 1 -- a\r; b\nFROM t"), sqlOf("SELECT 1 -- a\r; b\nFROM t;"));
    }

    @Test
    void statementTextKeepsItsLineEndingsAsWritten() throws SqlSyntaxException {
        assertEquals(
                List.of(
                        "INSERT INTO t VALUES ('x\ry',\r\n 'a\r\nb')",
                        "CREATE TRIGGER g AFTER INSERT ON t\rBEGIN\r\n" + "  SELECT 1;\rEND"),
                sqlOf("INSERT INTO t VALUES ('x\ry',\r\n 'a\r\nb');\r\n"
                        + "CREATE TRIGGER g AFTER INSERT ON t\rBEGIN\r\n  SELECT 1;\rEND;\r\n"));
    }

    @Test
    void unterminatedConstructAfterMultiLineStringReportsItsOwnLine() {
        SqlSyntaxException e = assertThrows(
                SqlSyntaxException.class, () -> ScriptDialect.SQLITE.split("SELECT 'a\nb\nc';\nSELECT \"x"));
        assertEquals(4, e.line());
    }

    @Test
    void nonAsciiTextInStringsCommentsAndIdentifiersIsKept() throws SqlSyntaxException {
        String text = "-- Grüße; 日本語 ' \n"
                + "INSERT INTO notizen (überschrift) VALUES ('Ça va; “quoted” 😀');\n"
                + "/* ñ; ü */ SELECT 'ß' AS straße;";
        assertEquals(
                List.of(
                        new SqlStatement("INSERT INTO notizen (überschrift) VALUES ('Ça va; “quoted” 😀')", 2),
                        new SqlStatement("SELECT 'ß' AS straße", 3)),
                ScriptDialect.SQLITE.split(text));
    }

    @Test
    void excerptFlattensWhitespaceAndTruncatesLongStatements() {
        assertEquals("SELECT a FROM t", new SqlStatement("SELECT a\n\t FROM   t", 1).excerpt());
        String longSql = "SELECT " + "x".repeat(200);
        String excerpt = new SqlStatement(longSql, 1).excerpt();
        assertEquals(longSql.substring(0, 120) + "...", excerpt);
    }

    @Test
    void explainPrefixDoesNotHideATriggerBody() throws SqlSyntaxException {
        assertEquals(
                List.of("EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "SELECT 2"),
                sqlOf("EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\nSELECT 2;"));
        assertEquals(
                List.of("EXPLAIN QUERY PLAN SELECT 1", "SELECT 2"), sqlOf("EXPLAIN QUERY PLAN SELECT 1; SELECT 2"));
    }

    @Test
    void sqliteRefusesWhatCannotRunInATransactionHoweverItIsQuotedOrCommented() throws SqlSyntaxException {
        for (String refused : List.of(
                "VACUUM",
                "vacuum into 'copy.db'",
                "BEGIN IMMEDIATE",
                "BEGIN TRANSACTION t",
                "COMMIT WORK",
                "ROLLBACK TO a",
                "SAVEPOINT a",
                "RELEASE a",
                "ATTACH 'x.db' AS x",
                "DETACH x",
                "PRAGMA journal_mode = WAL",
                "PRAGMA/**/journal_mode",
                "PRAGMA [journal_mode]",
                "PRAGMA 'journal_mode'",
                "PRAGMA `foreign_keys`",
                "PRAGMA foreign_keys = 1",
                "PRAGMA foreign_keys(OFF)",
                "PRAGMA main.foreign_keys = OFF",
                "pragma main.\"FOREIGN_KEYS\"",
                "PRAGMA [main] . [journal_mode]",
                "PRAGMA -- why\n 'main'.`journal_mode`",
                "PRAGMA \"jour\"\"nal\"")) {
            boolean quotedWithADoubledQuote = refused.contains("\"\"");
            assertEquals(
                    !quotedWithADoubledQuote,
                    ScriptDialect.SQLITE.refusal(new SqlStatement(refused, 1)).isPresent(),
                    refused);
        }
        for (String allowed : List.of(
                "PRAGMA foreign_key_list(t)",
                "PRAGMA journal_size_limit = 1",
                "PRAGMA main.foreign_key_check",
                "CREATE TABLE vacuum_log (a)",
                "SELECT 'VACUUM'",
                "INSERT INTO t VALUES ('PRAGMA journal_mode')",
                "CREATE TABLE \"begin\" (x)",
                "\"VACUUM\"",
                "SELECT 1 -- VACUUM",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END")) {
            assertTrue(
                    ScriptDialect.SQLITE.refusal(new SqlStatement(allowed, 1)).isEmpty(), allowed);
        }
    }

    @Test
    void refusalNamesTheReason() {
        assertEquals(
                "PRAGMA journal_mode cannot change inside a transaction; set it once outside Lockstep",
                ScriptDialect.SQLITE
                        .refusal(new SqlStatement("PRAGMA [journal_mode] = WAL", 1))
                        .orElseThrow());
    }

    @Test
    void refusalOfAStatementThatEndsInAnUnclosedQuoteReadsTheTokensBeforeIt() {
        assertTrue(
                ScriptDialect.SQLITE.refusal(new SqlStatement("VACUUM 'x", 1)).isPresent());
        assertTrue(
                ScriptDialect.SQLITE.refusal(new SqlStatement("SELECT 'x", 1)).isEmpty());
    }

    private static ScriptDialect.Statements statementsOf(String text) throws Exception {
        return ScriptDialect.SQLITE.statements(text);
    }

    private static String refusalOf(String text) {
        return assertThrows(RefusedStatementException.class, () -> ScriptDialect.SQLITE.statements(text))
                .reason();
    }

    @Test
    void aScriptWrappedInOneTransactionRunsItsOtherStatementsOnTheirOwnLines() throws Exception {
        String text = "PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE b (x);\n\nINSERT INTO b VALUES (1);\n"
                + "COMMIT;\nPRAGMA foreign_keys=ON;\n";

        ScriptDialect.Statements statements = statementsOf(text);

        assertEquals(
                List.of(new SqlStatement("CREATE TABLE b (x)", 3), new SqlStatement("INSERT INTO b VALUES (1)", 5)),
                statements.run());
        assertEquals(
                List.of(1, 2, 6, 7),
                statements.skipped().stream()
                        .map(skipped -> skipped.statement().line())
                        .toList());
    }

    @Test
    void everyAcceptedWrappingShapeIsSkipped() throws Exception {
        for (String[] pair : List.of(
                new String[] {"BEGIN", "COMMIT"},
                new String[] {"begin transaction", "end transaction"},
                new String[] {"BEGIN /* the rebuild */ TRANSACTION", "END"},
                new String[] {"Begin", "commit TRANSACTION"})) {
            String text = pair[0] + ";\nCREATE TABLE t (x);\n" + pair[1] + ";\n";
            assertEquals(
                    List.of(new SqlStatement("CREATE TABLE t (x)", 2)),
                    statementsOf(text).run(),
                    text);
        }
        assertEquals(List.of(), statementsOf("BEGIN;\nCOMMIT;\n").run());
    }

    @Test
    void foreignKeysOnOrOffIsSkippedAnywhereAndSaysWhy() throws Exception {
        ScriptDialect.Statements statements = statementsOf(
                "CREATE TABLE t (x);\npragma FOREIGN_KEYS = off;\nINSERT INTO t VALUES (1);\nPRAGMA [foreign_keys]=ON");

        assertEquals(
                List.of(new SqlStatement("CREATE TABLE t (x)", 1), new SqlStatement("INSERT INTO t VALUES (1)", 3)),
                statements.run());
        assertEquals(2, statements.skipped().size());
        assertEquals(
                SqliteSyntax.FOREIGN_KEYS_NO_OP, statements.skipped().get(0).why());
    }

    @Test
    void whatWouldReallyBreakTheDeployIsStillRefusedNamingTheAcceptedShape() {
        for (String text : List.of(
                "BEGIN;\nCREATE TABLE a (x);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (x);\nCOMMIT;",
                "BEGIN;\nCREATE TABLE a (x);\nROLLBACK;",
                "BEGIN;\nSAVEPOINT s;\nCREATE TABLE a (x);\nRELEASE s;\nCOMMIT;",
                "CREATE TABLE a (x);\nBEGIN;\nCREATE TABLE b (x);\nCOMMIT;",
                "CREATE TABLE a (x);\nCOMMIT;",
                "BEGIN;\nCREATE TABLE a (x);",
                "BEGIN;\nCREATE TABLE a (x);\nCOMMIT;\nCREATE TABLE b (x);",
                "BEGIN IMMEDIATE;\nCREATE TABLE a (x);\nCOMMIT;",
                "PRAGMA foreign_keys;\nCREATE TABLE a (x);")) {
            String reason = refusalOf(text);
            assertTrue(reason.contains(SqliteSyntax.ACCEPTED), text + " -> " + reason);
        }
        assertTrue(refusalOf("BEGIN;\nVACUUM;\nCOMMIT;").startsWith("VACUUM"));
        assertTrue(refusalOf("BEGIN;\nCREATE TABLE a (x);\nPRAGMA journal_mode = WAL;\nCOMMIT;")
                .startsWith("PRAGMA journal_mode"));
        assertTrue(refusalOf("BEGIN;\nATTACH 'x.db' AS x;\nCOMMIT;").startsWith("ATTACH"));
    }

    @Test
    void aRefusalPointsAtTheStatementWhereTheShapeBreaks() {
        RefusedStatementException second = assertThrows(
                RefusedStatementException.class,
                () -> ScriptDialect.SQLITE.statements("BEGIN;\nSELECT 1;\nCOMMIT;\n\nBEGIN;\nSELECT 2;\nCOMMIT;"));
        RefusedStatementException unclosed = assertThrows(
                RefusedStatementException.class,
                () -> ScriptDialect.SQLITE.statements("-- x\nBEGIN;\nSELECT 1;\nSELECT 2;"));

        assertEquals(5, second.statement().line());
        assertTrue(second.reason().contains("a second transaction in one script"), second.reason());
        assertEquals(2, unclosed.statement().line());
        assertTrue(unclosed.reason().contains("never closed"), unclosed.reason());
    }

    @Test
    void postgresqlAcceptsNoneOfTheseShapes() {
        assertThrows(
                RefusedStatementException.class,
                () -> ScriptDialect.POSTGRESQL.statements("BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;"));
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 11, item 7: SQLite's tokenizer lets a {@code /*} comment that is never closed run to
 * the end of the input, so the {@code sqlite3} shell and every driver run such a script;
 * Lockstep refused it. PostgreSQL's lexer rejects it ("unterminated /* comment"), and so does
 * Lockstep for PostgreSQL, before opening the database.
 */
final class UnclosedBlockCommentAtEndOfSqliteScriptIsAcceptedTest {
    @TempDir
    Path dir;

    @Test
    void sqliteScriptEndingInAnUnclosedBlockCommentApplies() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_tables.sql"), "CREATE TABLE a (x);\nCREATE TABLE b (y) /* to the end");
        Files.writeString(scripts.resolve("002_more.sql"), "CREATE TABLE c (z);\n/* nothing here runs;\nDROP TABLE a;");
        Path database = dir.resolve("app.db");

        Migrator.create(MigrationConfig.builder()
                        .url("jdbc:sqlite:" + database)
                        .location(scripts)
                        .build())
                .migrate();

        assertEquals(
                List.of("a", "b", "c"),
                SqliteRows.column(
                        database,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b', 'c') ORDER BY name"));
    }

    @Test
    void postgresScriptEndingInAnUnclosedBlockCommentIsStillRefusedBeforeConnecting() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Path script = Files.writeString(scripts.resolve("001_tables.sql"), "CREATE TABLE a (x int);\n/* to the end");
        // Nothing listens on port 1: the refusal must come before any connection.
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:postgresql://127.0.0.1:1/none")
                .location(scripts)
                .build());

        InvalidScriptException e = assertThrows(InvalidScriptException.class, migrator::validate);

        assertEquals(script.toString(), e.source());
        assertTrue(e.getMessage().contains("Block comment starting at line [2] is never closed"), e::getMessage);
    }
}

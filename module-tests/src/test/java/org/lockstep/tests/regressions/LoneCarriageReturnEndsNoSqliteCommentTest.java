package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 11, item 7: a carriage return with no line feed after it does not end a {@code --}
 * comment for SQLite, whose tokenizer ends the comment only at {@code \n}. Lockstep turned
 * the CR into a newline before splitting, so the {@code DELETE} "commented out" after it ran.
 */
final class LoneCarriageReturnEndsNoSqliteCommentTest {
    private static final String SCRIPT = "CREATE TABLE t (a);\r\nINSERT INTO t VALUES (1); -- off:\rDELETE FROM t;\r\n";

    @TempDir
    Path dir;

    @Test
    void statementAfterALoneCarriageReturnInALineCommentIsPartOfTheCommentAndDoesNotRun() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_keep_the_row.sql"), SCRIPT, StandardCharsets.UTF_8);
        Path database = dir.resolve("app.db");

        Migrator.create(MigrationConfig.builder()
                        .url("jdbc:sqlite:" + database)
                        .location(scripts)
                        .build())
                .migrate();

        assertEquals(
                List.of("1"),
                SqliteRows.column(database, "SELECT count(*) FROM t"),
                "the DELETE is inside the comment");
        assertEquals(
                List.of("1"),
                viaSqliteShell(scripts.resolve("001_keep_the_row.sql")),
                "the sqlite3 shell reads the same script the same way");
    }

    private List<String> viaSqliteShell(Path script) throws Exception {
        Path database = dir.resolve("shell.db");
        Process shell = new ProcessBuilder("sqlite3", database.toString())
                .redirectInput(script.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "sqlite3 did not finish");
        assertEquals(0, shell.exitValue(), () -> "sqlite3 failed: " + output);
        return SqliteRows.column(database, "SELECT count(*) FROM t");
    }
}

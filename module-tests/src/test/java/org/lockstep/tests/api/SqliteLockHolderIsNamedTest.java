package org.lockstep.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockHolder;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * A worker that gives up waiting for SQLite's write lock names who holds it: here another
 * connection of the same process (the process-level tests name other processes, stopped ones
 * included), in both journal modes.
 */
final class SqliteLockHolderIsNamedTest {
    @TempDir
    Path dir;

    private void namesThisProcess(String journalMode) throws Exception {
        Path database = dir.resolve(journalMode + ".db");
        Path scripts = Files.createDirectories(dir.resolve("m-" + journalMode));
        Files.writeString(scripts.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = holder.createStatement()) {
            statement.execute("PRAGMA journal_mode = " + journalMode);
            statement.execute("BEGIN IMMEDIATE");

            LockTimeoutException timeout = assertThrows(
                    LockTimeoutException.class,
                    () -> Migrator.create(MigrationConfig.builder()
                                    .url("jdbc:sqlite:" + database)
                                    .location(scripts)
                                    .lockTimeout(Duration.ofMillis(300))
                                    .build())
                            .migrate());

            LockHolder named = timeout.holder().orElseThrow(() -> new AssertionError(timeout.getMessage()));
            assertEquals(ProcessHandle.current().pid(), named.pid());
            assertTrue(timeout.getMessage().contains("this process"), timeout.getMessage());
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void inRollbackJournalMode() throws Exception {
        namesThisProcess("DELETE");
    }

    @Test
    void inWalMode() throws Exception {
        namesThisProcess("WAL");
    }
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationListener;
import org.lockstep.Migrator;

/**
 * Issue 13, item 4: a statement waiting for a table lock another session held ignored the
 * lock timeout (a hard-coded 10 s) and, through its queued ACCESS EXCLUSIVE request, blocked
 * the application's queries for the whole wait.
 */
final class TableLockWaitsAreBoundedByTheLockTimeoutTest extends PostgresCase {

    private Connection readerHoldingItems() throws SQLException {
        executeAsRole("CREATE TABLE items (x int)", "INSERT INTO items VALUES (1)");
        Connection reader = connectAsRole();
        reader.setAutoCommit(false);
        try (Statement statement = reader.createStatement()) {
            statement.executeQuery("SELECT * FROM items").close(); // ACCESS SHARE until the transaction ends
        }
        return reader;
    }

    // Migrates with a 3 s lock timeout and expects a table-lock wait to end it, well within 15 s.
    private LockTimeoutException migrateUntilTheLockTimeout() {
        long start = System.nanoTime();
        LockTimeoutException timeout = assertThrows(
                LockTimeoutException.class,
                () -> Migrator.create(
                                config().lockTimeout(Duration.ofSeconds(3)).build())
                        .migrate());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(LockTimeoutException.Wait.TABLE_LOCK, timeout.waitedFor(), timeout.getMessage());
        assertTrue(tookMillis < 15_000, "bounded by the 3 s lock timeout, not a fixed wait: " + tookMillis);
        return timeout;
    }

    @Test
    @Timeout(60)
    void theWaitEndsAtTheLockTimeoutNamingTheStatementFileAndLine() throws Exception {
        script("001_alter.sql", "-- a column\nALTER TABLE items ADD COLUMN c int;\n");
        try (Connection reader = readerHoldingItems()) {
            LockTimeoutException timeout = migrateUntilTheLockTimeout();

            assertTrue(timeout.waited().toMillis() >= 3_000, timeout.getMessage());
            assertTrue(timeout.getMessage().contains("held the migration lock"), timeout.getMessage());
            assertTrue(
                    timeout.getMessage().contains("[001_alter.sql] at line [2]")
                            && timeout.getMessage().contains("ALTER TABLE items"),
                    timeout.getMessage());
            reader.rollback();
        }
        assertEquals(
                1,
                database.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items'"),
                "rolled back: no column c");
    }

    @Test
    @Timeout(60)
    void aScriptThatTurnsTheLockTimeoutOffDoesNotUnboundTheNextMigrationsWait() throws Exception {
        script("001_off.sql", "SET lock_timeout = 0;\n"); // session-level: outlives its statement
        script("002_alter.sql", "ALTER TABLE items ADD COLUMN c int;\n");
        try (Connection reader = readerHoldingItems()) {
            LockTimeoutException timeout = migrateUntilTheLockTimeout();

            assertTrue(timeout.getMessage().contains("[002_alter.sql]"), timeout.getMessage());
            reader.rollback();
        }
    }

    @Test
    @Timeout(60)
    void aLockReleasedWhileTheDeployRetriesLetsItFinishAndTheWaitIsReported() throws Exception {
        script("001_alter.sql", "ALTER TABLE items ADD COLUMN c int;\n");
        try (Connection reader = readerHoldingItems()) {
            MigrationListener releaseAfterTheFirstWait = new MigrationListener() {
                @Override
                public void lockBusy(Duration waited, int attempts) {
                    try {
                        reader.rollback();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            MigrateResult result = Migrator.create(config().lockTimeout(Duration.ofSeconds(30))
                            .listener(releaseAfterTheFirstWait)
                            .build())
                    .migrate();

            assertEquals(1, result.applied().size());
            assertTrue(result.lockWait().toMillis() >= 1_000, "the statement's wait counts: " + result.lockWait());
        }
        assertEquals(List.of("public.items"), tablesNamed("items"));
    }
}

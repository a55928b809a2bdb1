package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationListener;
import org.lockstep.Migrator;

/**
 * Issue 11, item 5: in rollback-journal mode a reader that holds its shared lock kept the
 * commit waiting on a fixed 10 s busy timeout, whatever the lock timeout, and the wait was
 * neither counted nor reported ("waited 10 ms" after 24 s).
 */
final class CommitWaitForReadersCountsAgainstTheLockTimeoutTest {
    @TempDir
    Path dir;

    private Fixture readyFixture() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);\nINSERT INTO t VALUES (1);");
        fixture.execute("PRAGMA journal_mode = DELETE", "CREATE TABLE other (x)");
        return fixture;
    }

    /** A connection inside a read transaction: it holds SQLite's shared lock until it ends. */
    private static Connection readerHoldingTheSharedLock(Fixture fixture) throws SQLException {
        Connection reader = DriverManager.getConnection(fixture.url());
        try (Statement statement = reader.createStatement()) {
            statement.execute("BEGIN");
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM other")) {
                rs.next();
            }
        }
        return reader;
    }

    @Test
    @Timeout(30)
    void aReaderThatOutlastsTheLockTimeoutEndsTheDeployAtTheTimeoutWithNothingApplied() throws Exception {
        Fixture fixture = readyFixture();
        try (Connection reader = readerHoldingTheSharedLock(fixture)) {
            long start = System.nanoTime();
            LockTimeoutException timeout = assertThrows(
                    LockTimeoutException.class,
                    () -> Migrator.create(fixture.config()
                                    .lockTimeout(Duration.ofMillis(500))
                                    .build())
                            .migrate());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(LockTimeoutException.Wait.COMMIT, timeout.waitedFor());
            assertTrue(timeout.waited().toMillis() >= 500, timeout.getMessage());
            assertTrue(tookMillis < 8_000, "bounded by the 500 ms lock timeout, not a fixed wait: " + tookMillis);
            assertTrue(timeout.getMessage().contains("readers kept the database busy at commit"), timeout.getMessage());
            reader.createStatement().execute("COMMIT");
        }
        assertEquals(List.of(), fixture.column("SELECT name FROM sqlite_master WHERE name = 't'"), "rolled back");
    }

    @Test
    @Timeout(30)
    void aReaderThatLetsGoInTimeLetsTheDeployCommitAndTheWaitIsReported() throws Exception {
        Fixture fixture = readyFixture();
        try (Connection reader = readerHoldingTheSharedLock(fixture)) {
            // The reader ends its transaction once the migrating worker has waited 200 ms: no
            // sleeps, the worker's own progress drives it.
            MigrationListener releaseAfterAWhile = new MigrationListener() {
                @Override
                public void lockBusy(Duration waited, int attempts) {
                    if (waited.toMillis() >= 200) {
                        try {
                            reader.createStatement().execute("COMMIT");
                        } catch (SQLException alreadyCommitted) {
                            // a later call: the reader is done
                        }
                    }
                }
            };
            MigrateResult result = Migrator.create(fixture.config()
                            .lockTimeout(Duration.ofSeconds(20))
                            .listener(releaseAfterAWhile)
                            .build())
                    .migrate();

            assertEquals(1, result.applied().size());
            assertEquals(1, result.lockAttempts(), "the commit was retried, not the deploy");
            assertTrue(result.lockWait().toMillis() >= 200, "the commit's wait is reported: " + result.lockWait());
        }
        assertEquals(List.of("1"), fixture.column("SELECT a FROM t"));
    }
}

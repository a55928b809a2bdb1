package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockTimeoutException;
import org.lockstep.Migrator;

/**
 * Issue 11, item 18: {@code status()} and {@code validate()} waited for the whole lock timeout
 * (120 s by default) behind a connection holding the database exclusively, and then threw an
 * exception their documentation did not list. They wait at most 5 seconds.
 */
final class ReadsAreBoundedTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void statusAndValidateGiveUpAfterTheReadBoundWithTheDefaultLockTimeout() throws Exception {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        fixture.execute("PRAGMA journal_mode = DELETE", "CREATE TABLE app (x)");
        Migrator migrator = Migrator.create(fixture.config().build());
        try (Connection holder = DriverManager.getConnection(fixture.url());
                Statement statement = holder.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            long start = System.nanoTime();
            LockTimeoutException status = assertThrows(LockTimeoutException.class, migrator::status);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            LockTimeoutException validate = assertThrows(LockTimeoutException.class, migrator::validate);

            assertEquals(LockTimeoutException.Wait.HISTORY_READ, status.waitedFor());
            assertEquals(LockTimeoutException.Wait.HISTORY_READ, validate.waitedFor());
            assertTrue(status.waited().toMillis() >= 5_000, status.getMessage());
            assertTrue(tookMillis < 30_000, "bounded by 5 s, not the 120 s lock timeout: " + tookMillis + " ms");
            assertTrue(status.getMessage().startsWith("History of ["), status.getMessage());
            statement.execute("ROLLBACK");
        }
        assertEquals(1, migrator.status().size(), "reads again once the holder is done");
    }
}

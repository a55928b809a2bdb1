package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.LockHolder;
import org.lockstep.LockTimeoutException;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.PostgresDatabase;

/**
 * A worker that gives up waiting names the session that holds the lock, as an operator needs
 * it to find a stuck holder: its backend's pid (what {@code pg_terminate_backend} takes), its
 * client and application, and that it sits idle in a transaction.
 */
final class TheLockHolderIsNamedTest extends PostgresCase {

    @Test
    @Timeout(60)
    void theLockErrorNamesTheHoldersBackendApplicationAndState() throws Exception {
        script("001_t.sql", "CREATE TABLE t (x int);\n");
        try (Connection holder = connectAsRole();
                Statement statement = holder.createStatement()) {
            statement.execute("SET application_name = 'ops-console'");
            long pid;
            try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            holder.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(" + PostgresDatabase.lockKey("public") + ")");

            LockTimeoutException failure = assertThrows(
                    LockTimeoutException.class,
                    () -> Migrator.create(
                                    config().lockTimeout(Duration.ofMillis(300)).build())
                            .migrate());

            LockHolder named = failure.holder().orElseThrow(() -> new AssertionError("no holder in " + failure));
            assertEquals(pid, named.pid(), failure.getMessage());
            assertTrue(named.description().contains("application [ops-console]"), named.describe());
            assertTrue(named.state().startsWith("idle in transaction"), named.describe());
            assertTrue(failure.getMessage().contains("process [" + pid + "]"), failure.getMessage());
            holder.rollback();
        }
        assertEquals(1, Migrator.create(config().build()).migrate().applied().size(), "free once the holder is gone");
    }
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.AppliedMigration;
import org.lockstep.LockTimeoutException;
import org.lockstep.Migrator;

/**
 * The history read before the lock (and {@code status()}'s) takes no advisory lock, but its
 * {@code SELECT} needs the history table's ACCESS SHARE lock, which an operator's
 * {@code LOCK TABLE}, a {@code VACUUM FULL} or a long {@code ALTER} on it holds off. Each such
 * read waits at most a second ({@code SET LOCAL lock_timeout}) and is retried as a busy lock
 * within the call's bound, so a worker reports the wait instead of hanging with the table.
 */
final class HistoryReadsAreBoundedByALockedTableTest extends PostgresCase {

    // A session that holds the history table locked against every reader until it rolls back.
    private Connection lockingTheHistory() throws SQLException {
        Connection holder = connectAsRole();
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement.execute("LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE");
        }
        return holder;
    }

    /**
     * Runs the call while {@code holder} holds the history table, and returns how long it took to
     * fail with a {@link LockTimeoutException}; a call still waiting after 20 s fails the test,
     * and closing the holder then lets it go, so a read without a bound fails rather than hangs.
     */
    private static long millisToFail(Connection holder, Callable<?> call) throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            Future<?> running = worker.submit(call);
            ExecutionException failed = assertThrows(
                    ExecutionException.class,
                    () -> running.get(20, TimeUnit.SECONDS),
                    "the call neither failed nor finished while the history table was locked");
            long took = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(LockTimeoutException.class, failed.getCause());
            return took;
        } finally {
            holder.close();
            worker.shutdownNow();
            assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS), "the call did not end once the table was free");
        }
    }

    @Test
    @Timeout(60)
    void aWorkerWhoseHistoryTableIsLockedGivesUpAtItsLockTimeoutAndMigratesOnceItIsFree() throws Exception {
        script("001_a.sql", "CREATE TABLE a (x int);\n");
        Migrator.create(config().build()).migrate();
        script("002_b.sql", "CREATE TABLE b (x int);\n");

        try (Connection holder = lockingTheHistory()) {
            long took = millisToFail(
                    holder,
                    () -> Migrator.create(
                                    config().lockTimeout(Duration.ofSeconds(2)).build())
                            .migrate());
            assertTrue(took >= 2_000, "bounded by the 2 s lock timeout, not before it: " + took + " ms");
        }
        List<AppliedMigration> applied =
                Migrator.create(config().build()).migrate().applied();
        assertEquals(
                List.of("002"), applied.stream().map(AppliedMigration::name).toList());
    }

    @Test
    @Timeout(60)
    void statusGivesUpAtTheReadBound() throws Exception {
        script("001_a.sql", "CREATE TABLE a (x int);\n");
        Migrator.create(config().build()).migrate();

        try (Connection holder = lockingTheHistory()) {
            long took =
                    millisToFail(holder, () -> Migrator.create(config().build()).status());
            assertTrue(took >= 1_000, "a read waits its second before it is retried: " + took + " ms");
        }
    }
}

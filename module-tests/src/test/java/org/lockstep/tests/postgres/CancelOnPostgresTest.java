package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.Cancelling;

/**
 * {@link Migrator#cancel()} on PostgreSQL: a statement that would sleep for ten minutes gets the
 * server's cancel request, and the deploy, DDL included, is rolled back.
 */
final class CancelOnPostgresTest extends PostgresCase {
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopWorker() throws InterruptedException {
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(60, TimeUnit.SECONDS), "the migrating thread did not end");
    }

    @Test
    void aStatementRunningForMinutesIsCancelledAndTheDeployRolledBack() throws Exception {
        script("001_users.sql", "CREATE TABLE users (id int);\n");
        script("002_slow.sql", "CREATE TABLE slow (x int);\nSELECT pg_sleep(600);\n");
        CountDownLatch running = new CountDownLatch(1);
        Migrator migrator = Migrator.create(config().listener(new MigrationListener() {
                    @Override
                    public void statementCompleted(
                            Optional<MigrationVersion> version, int statement, int statements, Duration elapsed) {
                        if (version.equals(Optional.of(MigrationVersion.parse("2"))) && statement == 1) {
                            running.countDown(); // the sleep comes next
                        }
                    }
                })
                .build());

        // The driver waits for the server's answer in a socket read.
        MigrationInterruptedException stopped = Cancelling.cancelWhen(worker, running, "read", migrator);

        assertEquals(MigrationInterruptedException.Stage.APPLYING, stopped.stage());
        assertTrue(stopped.cancelled());
        assertTrue(stopped.getMessage().contains("[002_slow.sql]"), stopped.getMessage());
        assertEquals(List.of(), tablesNamed("users"));
        assertEquals(List.of(), tablesNamed("slow"));
        assertEquals(
                List.of(MigrationState.PENDING, MigrationState.PENDING),
                Migrator.create(config().build()).status().stream()
                        .map(MigrationInfo::state)
                        .toList());
    }
}

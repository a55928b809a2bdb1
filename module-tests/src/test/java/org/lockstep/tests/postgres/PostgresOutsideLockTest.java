package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.Migrator;

/**
 * Another session (an operator, or a stuck deploy) holds Lockstep's advisory lock with a
 * plain {@code BEGIN; SELECT pg_advisory_xact_lock(key)} for longer than the lock timeout.
 * The key is the one Lockstep documents, computed here independently.
 */
final class PostgresOutsideLockTest {
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    @TempDir
    Path dir;

    private PostgresServer.Schema schema;
    private Path scripts;

    @BeforeEach
    void schema() throws Exception {
        schema = PostgresServer.require().freshSchema();
        scripts = dir.resolve("migrations");
    }

    @Test
    void upToDateSchemaMigratesAtOnceWithoutTheLock() throws Exception {
        prepared(3);
        try (Connection holder = lockedOutside()) {
            MigrateResult result = Migrator.create(config()).migrate();

            assertTrue(result.wasUpToDate());
            assertEquals(0, result.lockAttempts());
            assertEquals(Duration.ZERO, result.lockWait());
        }
    }

    @Test
    void pendingWorkFailsWithTheLockErrorAfterTheTimeoutAndChangesNothing() throws Exception {
        prepared(2);
        PostgresServer.writeHerdScripts(scripts, 3, 4);
        String before = schema.dump();
        try (Connection holder = lockedOutside()) {
            long start = System.nanoTime();
            LockTimeoutException failure = assertThrows(LockTimeoutException.class,
                    () -> Migrator.create(config()).migrate());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(failure.waited().compareTo(TIMEOUT) >= 0, "waited only " + failure.waited());
            assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
            assertTrue(failure.attempts() > 1, "attempts " + failure.attempts());
            assertTrue(failure.getMessage().contains(schema.name()), failure.getMessage());
        }
        assertEquals(before, schema.dump());
        MigrateResult afterRelease = Migrator.create(config()).migrate();
        assertEquals(2, afterRelease.applied().size());
    }

    @Test
    void interruptAbortsTheWaitPromptlyRestoresTheFlagAndChangesNothing() throws Exception {
        prepared(1);
        PostgresServer.writeHerdScripts(scripts, 2, 2);
        String before = schema.dump();
        MigrationConfig config = config().toBuilder().lockTimeout(Duration.ofSeconds(60)).build();
        AtomicBoolean flagRestored = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        try (Connection holder = lockedOutside()) {
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                started.countDown();
                try {
                    Migrator.create(config).migrate();
                    outcome.complete(null);
                } catch (RuntimeException e) {
                    flagRestored.set(Thread.currentThread().isInterrupted());
                    outcome.completeExceptionally(e);
                }
            });
            worker.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            worker.interrupt();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> outcome.get(5, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof MigrationInterruptedException, failure.getCause().toString());
            assertTrue(flagRestored.get(), "interrupt flag not restored");
            worker.join(TimeUnit.SECONDS.toMillis(5));
        }
        assertEquals(before, schema.dump());
    }

    private Connection lockedOutside() throws Exception {
        Connection holder = schema.connect();
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + PostgresServer.lockKey(schema.name(),
                    "schema_migrations") + ")");
        }
        assertTrue(schema.lockHeld());
        return holder;
    }

    private void prepared(int version) throws Exception {
        PostgresServer.writeHerdScripts(scripts, 1, version);
        Migrator.create(config()).migrate();
    }

    private MigrationConfig config() {
        return schema.config(scripts, "outside-test").lockTimeout(TIMEOUT).build();
    }
}

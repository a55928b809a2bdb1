package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.TestDatabase;

/**
 * Fast and quiet, bounded waiting, interrupts: another session (the application's own
 * writer, an operator, a stuck process) holds Lockstep's lock for longer than the lock
 * timeout, taken the way the database offers it to anyone (see {@link TestDatabase#holdLock}).
 */
abstract class OutsideLockContract extends DatabaseContract {
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final Duration TAKE_LOCK = Duration.ofSeconds(10);

    @Test
    @Timeout(60)
    void upToDateDatabaseMigratesAtOnceWithoutTheWriteLock() throws Exception {
        Path scripts = prepared(3);
        try (TestDatabase.LockHolder holder = db().holdLock(TAKE_LOCK)) {
            MigrateResult result = Migrator.create(config(scripts)).migrate();

            assertTrue(result.wasUpToDate());
            assertEquals(0, result.lockAttempts());
            assertEquals(Duration.ZERO, result.lockWait());
        }
    }

    @Test
    @Timeout(60)
    void pendingWorkFailsWithTheLockErrorAfterTheTimeoutAndChangesNothing() throws Exception {
        Path scripts = prepared(2);
        Herds.writeScripts(scripts, 3, 4, db());
        String before = db().dump();
        try (TestDatabase.LockHolder holder = db().holdLock(TAKE_LOCK)) {
            long start = System.nanoTime();
            LockTimeoutException failure = assertThrows(
                    LockTimeoutException.class,
                    () -> Migrator.create(config(scripts)).migrate());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(failure.waited().compareTo(TIMEOUT) >= 0, "waited only " + failure.waited());
            assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
            assertTrue(failure.attempts() > 1, "attempts " + failure.attempts());
            assertTrue(failure.getMessage().contains(db().nameInMessages()), failure.getMessage());
        }
        assertEquals(before, db().dump());
        MigrateResult afterRelease = Migrator.create(config(scripts)).migrate();
        assertEquals(2, afterRelease.applied().size());
    }

    @Test
    @Timeout(60)
    void interruptAbortsTheWaitPromptlyRestoresTheFlagAndChangesNothing() throws Exception {
        Path scripts = prepared(1);
        Herds.writeScripts(scripts, 2, 2, db());
        String before = db().dump();
        MigrationConfig config =
                config(scripts).toBuilder().lockTimeout(Duration.ofSeconds(60)).build();
        AtomicBoolean flagRestored = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        try (TestDatabase.LockHolder holder = db().holdLock(TAKE_LOCK)) {
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
            assertTrue(
                    failure.getCause() instanceof MigrationInterruptedException,
                    failure.getCause().toString());
            assertTrue(flagRestored.get(), "interrupt flag not restored");
            worker.join(TimeUnit.SECONDS.toMillis(5));
        }
        assertEquals(before, db().dump());
    }

    @Test
    @Timeout(60)
    void statusAndValidateReadTheHistoryWithoutTheLock() throws Exception {
        Path scripts = prepared(2);
        Herds.writeScripts(scripts, 3, 3, db());
        Migrator migrator = Migrator.create(config(scripts));
        try (TestDatabase.LockHolder holder = db().holdLock(TAKE_LOCK)) {
            migrator.validate();
            assertEquals(
                    List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING),
                    migrator.status().stream().map(MigrationInfo::state).toList());
        }
    }

    private Path prepared(int version) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, version, db());
        Migrator.create(config(scripts)).migrate();
        return scripts;
    }

    private MigrationConfig config(Path scripts) throws Exception {
        return db().config(scripts, "outside-test").lockTimeout(TIMEOUT).build();
    }
}

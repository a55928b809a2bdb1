package org.lockstep.tests.concurrency;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.Migrator;

/**
 * Another connection (the application's own writer, or a stuck process) holds SQLite's
 * write lock with a plain {@code BEGIN IMMEDIATE} for longer than the lock timeout.
 */
final class OutsideWriterTest {
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    @TempDir
    Path dir;

    private String journalMode = "DELETE";

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"DELETE", "TRUNCATE", "WAL"})
    void upToDateDatabaseMigratesAtOnceWithoutTheWriteLock(String journalMode) throws Exception {
        Path database = prepared(journalMode, 3);
        Path scripts = dir.resolve("migrations");
        try (Connection holder = SqliteFiles.open(database); Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");

            MigrateResult result = Migrator.create(config(database, scripts)).migrate();

            assertTrue(result.wasUpToDate());
            assertEquals(0, result.lockAttempts());
            assertEquals(Duration.ZERO, result.lockWait());
            lock.execute("ROLLBACK");
        }
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"DELETE", "TRUNCATE", "WAL"})
    void pendingWorkFailsWithTheLockErrorAfterTheTimeoutAndChangesNothing(String journalMode) throws Exception {
        Path database = prepared(journalMode, 2);
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 3, 4);
        String before = SqliteFiles.dump(database);
        try (Connection holder = SqliteFiles.open(database); Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");

            long start = System.nanoTime();
            LockTimeoutException failure = assertThrows(LockTimeoutException.class,
                    () -> Migrator.create(config(database, scripts)).migrate());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(failure.waited().compareTo(TIMEOUT) >= 0, "waited only " + failure.waited());
            assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
            assertTrue(failure.attempts() > 1, "attempts " + failure.attempts());
            assertTrue(failure.getMessage().contains(database.toString()), failure.getMessage());
            lock.execute("ROLLBACK");
        }
        assertEquals(before, SqliteFiles.dump(database));
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"DELETE", "WAL"})
    void interruptAbortsTheWaitPromptlyRestoresTheFlagAndChangesNothing(String journalMode) throws Exception {
        Path database = prepared(journalMode, 1);
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 2, 2);
        String before = SqliteFiles.dump(database);
        MigrationConfig config = config(database, scripts).toBuilder().lockTimeout(Duration.ofSeconds(60)).build();
        AtomicBoolean flagRestored = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        try (Connection holder = SqliteFiles.open(database); Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
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
            lock.execute("ROLLBACK");
        }
        assertEquals(before, SqliteFiles.dump(database));
    }

    private Path prepared(String journalMode, int version) throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = dir.resolve("migrations");
        // WAL is a property of the file; the rollback-journal modes are per connection, so
        // the migrator's connections get the mode through the URL.
        SqliteFiles.execute(database, "PRAGMA journal_mode = " + journalMode);
        this.journalMode = journalMode;
        SqliteFiles.writeHerdScripts(scripts, 1, version);
        Migrator.create(config(database, scripts)).migrate();
        return database;
    }

    private MigrationConfig config(Path database, Path scripts) {
        return MigrationConfig.builder().url(SqliteFiles.url(database) + "?journal_mode=" + journalMode)
                .location(scripts).lockTimeout(TIMEOUT).build();
    }
}

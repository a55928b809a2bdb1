package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * A wait for another thread's turn is a lock wait like any other: counted in the result, told
 * to the listener, bounded by the lock timeout, stopped by a cancel. The waiter's clock stands
 * still until the test moves it; the holder is held in its listener until the test lets it go.
 */
final class TurnWaitAccountingTest {
    @TempDir
    Path dir;

    private String url;
    private List<MigrationScript> scripts;
    private final Turns turns = Turns.process();
    private final SettableClock clock = new SettableClock();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch letGo = new CountDownLatch(1);
    private final CountDownLatch waiting = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private volatile Duration toldWaited;
    private volatile int toldAttempts;

    /** A clock that stands still until the test sets it; read from two threads. */
    private static final class SettableClock extends Clock {
        private final AtomicLong millis =
                new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @BeforeEach
    void writeScripts() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("app.db");
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        letGo.countDown();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(60)
    void theTimeWaitedForTheTurnIsTheCallsLockWait() throws Exception {
        Future<MigrateResult> holder = startHolder();
        Future<MigrateResult> waiter =
                pool.submit(() -> waiter(Duration.ofSeconds(30)).migrate(scripts, new SplittableRandom(1)));
        assertTrue(waiting.await(20, TimeUnit.SECONDS), "the second thread never waited for the turn");

        clock.advance(Duration.ofMillis(700));
        letGo.countDown();
        MigrateResult waited = waiter.get(20, TimeUnit.SECONDS);

        assertEquals(Duration.ofMillis(700), waited.lockWait(), "the wait, by the waiter's clock");
        assertEquals(0, waited.lockAttempts(), "it tried no lock: the holder's read showed the work done");
        assertEquals(1, waited.appliedByOthers().size());
        assertEquals(Duration.ZERO, toldWaited, "told as it began to wait, having waited for nothing before");
        assertEquals(1, toldAttempts);
        assertEquals(1, holder.get(20, TimeUnit.SECONDS).applied().size());
    }

    @Test
    @Timeout(60)
    void theLockTimeoutBoundsTheWaitForTheTurn() throws Exception {
        Future<MigrateResult> holder = startHolder();
        Future<MigrateResult> waiter =
                pool.submit(() -> waiter(Duration.ofMillis(500)).migrate(scripts, new SplittableRandom(1)));
        assertTrue(waiting.await(20, TimeUnit.SECONDS), "the second thread never waited for the turn");

        clock.advance(Duration.ofMillis(499));
        assertEquals(Optional.empty(), doneWithin(waiter, 100), "within the timeout it waits on");
        clock.advance(Duration.ofMillis(101));
        ExecutionException failed = assertThrowsWithin(waiter);

        LockTimeoutException timeout = assertInstanceOf(LockTimeoutException.class, failed.getCause());
        assertEquals(Duration.ofMillis(600), timeout.waited());
        assertEquals(0, timeout.attempts(), "it never tried the lock itself");
        assertTrue(
                timeout.getMessage()
                        .endsWith("This call waited for another thread of this process, whose turn at the"
                                + " database it was: the threads of a process migrate a database one at a time"),
                timeout.getMessage());
        letGo.countDown();
        assertEquals(1, holder.get(20, TimeUnit.SECONDS).applied().size());
    }

    @Test
    @Timeout(60)
    void aCancelStopsTheWaitForTheTurn() throws Exception {
        Future<MigrateResult> holder = startHolder();
        Cancellation cancellation = new Cancellation();
        Future<MigrateResult> waiter = pool.submit(
                () -> waiter(Duration.ofSeconds(30)).migrate(scripts, new SplittableRandom(1), cancellation));
        assertTrue(waiting.await(20, TimeUnit.SECONDS), "the second thread never waited for the turn");

        clock.advance(Duration.ofMillis(40));
        cancellation.cancel();
        ExecutionException failed = assertThrowsWithin(waiter);

        MigrationInterruptedException stopped =
                assertInstanceOf(MigrationInterruptedException.class, failed.getCause());
        assertEquals(MigrationInterruptedException.Stage.WAITING, stopped.stage());
        assertTrue(stopped.cancelled());
        assertEquals(Duration.ofMillis(40), stopped.waited());
        letGo.countDown();
        assertEquals(1, holder.get(20, TimeUnit.SECONDS).applied().size());
    }

    @Test
    @Timeout(60)
    void aWaiterLoadsItsScriptsOnlyOnceTheHolderHasPublished() throws Exception {
        Future<MigrateResult> holder = startHolder();
        AtomicInteger loads = new AtomicInteger();
        Future<MigrateResult> waiter = pool.submit(() -> waiter(Duration.ofSeconds(30))
                .migrate(
                        () -> {
                            loads.incrementAndGet();
                            return scripts;
                        },
                        new SplittableRandom(1),
                        new Cancellation()));
        assertTrue(waiting.await(20, TimeUnit.SECONDS), "the second thread never waited for the turn");

        assertEquals(0, loads.get(), "loaded while it waited, taking the holder's CPU");
        letGo.countDown();
        MigrateResult waited = waiter.get(20, TimeUnit.SECONDS);

        assertEquals(1, loads.get(), "loaded once, to plan against the holder's read");
        assertEquals(1, waited.appliedByOthers().size());
        assertEquals(0, waited.lockAttempts());
        assertEquals(1, holder.get(20, TimeUnit.SECONDS).applied().size());
    }

    @Test
    @Timeout(60)
    void aWaiterThatCannotLoadItsScriptsFailsForThatNotForTheWait() throws Exception {
        Future<MigrateResult> holder = startHolder();
        InvalidScriptException broken = new InvalidScriptException("002_b.sql", "[002_b.sql] is not UTF-8", null);
        Future<MigrateResult> waiter = pool.submit(() -> waiter(Duration.ofMillis(20))
                .migrate(
                        () -> {
                            throw broken;
                        },
                        new SplittableRandom(1),
                        new Cancellation()));
        assertTrue(waiting.await(20, TimeUnit.SECONDS), "the second thread never waited for the turn");

        clock.advance(Duration.ofMillis(21));
        ExecutionException failed = assertThrowsWithin(waiter);

        assertEquals(broken, failed.getCause(), "the script, not the lock timeout the wait reached");
        letGo.countDown();
        assertEquals(1, holder.get(20, TimeUnit.SECONDS).applied().size());
    }

    private Future<MigrateResult> startHolder() throws InterruptedException {
        MigrationListener held = new MigrationListener() {
            @Override
            public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                holding.countDown();
                try {
                    letGo.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Future<MigrateResult> holder =
                pool.submit(() -> protocol(Clock.systemUTC(), Duration.ofSeconds(30), held, "holder")
                        .migrate(scripts, new SplittableRandom(1)));
        assertTrue(holding.await(20, TimeUnit.SECONDS), "the holder never started its migration");
        return holder;
    }

    // The wait for the turn alone: the read of its own a waiter makes after 50 ms, by this
    // simulated clock at once, is ThreadsWaitOnlyForWhatTheyNeedTest's.
    private MigrationProtocol waiter(Duration lockTimeout) {
        MigrationProtocol waiter = protocol(
                clock,
                lockTimeout,
                new MigrationListener() {
                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        toldWaited = waited;
                        toldAttempts = attempts;
                        waiting.countDown();
                    }
                },
                "waiter");
        waiter.ownReadAfter(Duration.ofDays(1));
        return waiter;
    }

    private MigrationProtocol protocol(Clock clock, Duration lockTimeout, MigrationListener listener, String owner) {
        MigrationConfig config = MigrationConfig.builder()
                .url(url)
                .location(dir)
                .listener(listener)
                .lockTimeout(lockTimeout)
                .build();
        return new MigrationProtocol(
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty())),
                clock,
                Sleeper.SYSTEM,
                Backoff.DEFAULT,
                turns,
                MigrationProtocol.Settings.of(config, owner));
    }

    // The call's outcome if it ends within the time; empty if it is still running then.
    private static Optional<MigrateResult> doneWithin(Future<MigrateResult> call, long millis) throws Exception {
        try {
            return Optional.of(call.get(millis, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }

    private static ExecutionException assertThrowsWithin(Future<MigrateResult> call) throws Exception {
        try {
            MigrateResult result = call.get(20, TimeUnit.SECONDS);
            throw new AssertionError("the call returned " + result);
        } catch (ExecutionException e) {
            return e;
        }
    }
}

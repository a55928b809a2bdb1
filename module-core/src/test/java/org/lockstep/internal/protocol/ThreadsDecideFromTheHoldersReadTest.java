package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * Issue 14: the threads of one process that wait for another's turn at the same history table
 * decide from the history the holder read after its commit, and open no connection of their own;
 * where two calls' history tables cannot be told to be the same one, each reads its own.
 */
final class ThreadsDecideFromTheHoldersReadTest {
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    private String url;
    private List<MigrationScript> scripts;
    private final Turns turns = Turns.process();
    private final AtomicInteger opened = new AtomicInteger();

    @BeforeEach
    void writeScripts() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("app.db");
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        Files.writeString(folder.resolve("002_b.sql"), "CREATE TABLE b (x);\n");
        Files.writeString(folder.resolve("003_c.sql"), "INSERT INTO a VALUES (1);\n");
        scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
    }

    @Test
    @Timeout(60)
    void waitersOfTheSameHistoryTableOpenNoConnection() throws Exception {
        List<MigrateResult> results = herd(true);

        assertEquals(
                1,
                opened.get(),
                "only the thread whose turn it was opened a connection, and read its deploy back on it");
        assertEquals(3, results.stream().mapToInt(r -> r.applied().size()).sum());
        assertEquals(
                (THREADS - 1) * 3,
                results.stream().mapToInt(r -> r.appliedByOthers().size()).sum(),
                "every waiter reports the holder's three migrations as applied by others");
        assertEquals(1, results.stream().mapToInt(MigrateResult::lockAttempts).sum());
    }

    @Test
    @Timeout(60)
    void waitersThatCannotTellTheHistoryTableIsTheSameReadForThemselves() throws Exception {
        List<MigrateResult> results = herd(false);

        assertTrue(
                opened.get() >= THREADS,
                "each call read the history on a connection of its own, and polled the lock itself: " + opened);
        assertEquals(3, results.stream().mapToInt(r -> r.applied().size()).sum());
        assertEquals(
                (THREADS - 1) * 3,
                results.stream().mapToInt(r -> r.appliedByOthers().size()).sum());
        assertTrue(
                results.stream().filter(r -> r.lockAttempts() > 0).count() > 1,
                "no turn among calls whose databases cannot be told to be the same one");
    }

    @Test
    @Timeout(60)
    void waitersForAnotherProcessDecideFromTheOneThreadThatWatchedTheLock() throws Exception {
        // The holder cannot be told to read the same table (a data source's, say): another turn.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch allWait = new CountDownLatch(THREADS - 1);
        MigrationProtocol holder = protocol(
                false,
                new MigrationListener() {
                    @Override
                    public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                        if (script.startsWith("003")) {
                            // 001 and 002 have run, in the same transaction: held until every waiter waits.
                            holding.countDown();
                            try {
                                assertTrue(allWait.await(30, TimeUnit.SECONDS), "the waiters never waited");
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                },
                "holder",
                new AtomicInteger());
        Set<Thread> told = ConcurrentHashMap.newKeySet();
        MigrationListener waiting = new MigrationListener() {
            @Override
            public void lockBusy(Duration waited, int attempts) {
                if (told.add(Thread.currentThread())) {
                    allWait.countDown();
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            Future<MigrateResult> held = pool.submit(() -> holder.migrate(scripts, new SplittableRandom(1)));
            assertTrue(holding.await(30, TimeUnit.SECONDS), "the holder never reached its last migration");
            // The waiters begin in a later millisecond than 001 and 002 ended, by the history's clock.
            long later = System.currentTimeMillis() + 2;
            while (System.currentTimeMillis() < later) {
                Thread.onSpinWait();
            }
            List<AtomicInteger> opens = new ArrayList<>();
            List<Future<MigrateResult>> waiters = new ArrayList<>();
            for (int i = 1; i < THREADS; i++) {
                AtomicInteger mine = new AtomicInteger();
                opens.add(mine);
                MigrationProtocol protocol = protocol(true, waiting, "w" + i, mine);
                protocol.ownReadAfter(Duration.ofMinutes(1)); // what the turn alone does
                waiters.add(pool.submit(() -> protocol.migrate(scripts, new SplittableRandom(1))));
            }
            assertEquals(3, held.get(30, TimeUnit.SECONDS).applied().size());
            for (Future<MigrateResult> waiter : waiters) {
                assertEquals(
                        List.of("001", "002", "003"),
                        waiter.get(30, TimeUnit.SECONDS).appliedByOthers().stream()
                                .map(AppliedMigration::name)
                                .toList(),
                        "the whole deploy it waited through, 001 and 002 ended before it began");
            }
            assertEquals(
                    1,
                    opens.stream().filter(count -> count.get() > 0).count(),
                    "one waiter watched the lock and read; the others decided from its read: " + opens);
        } finally {
            allWait.countDown();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    // THREADS calls, each with a protocol of its own (as separate Migrators have), on one turn;
    // the one that applies holds its first migration until every other waits for the turn.
    private List<MigrateResult> herd(boolean identified) throws Exception {
        CountDownLatch waiting = new CountDownLatch(THREADS - 1);
        Set<Thread> told = ConcurrentHashMap.newKeySet();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void lockBusy(Duration waited, int attempts) {
                // Once per thread: a call that polls the lock itself is told at every busy try.
                if (told.add(Thread.currentThread())) {
                    waiting.countDown();
                }
            }

            @Override
            public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                try {
                    assertTrue(waiting.await(30, TimeUnit.SECONDS), "the other threads never waited");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<MigrateResult> results = new ArrayList<>();
        try {
            List<Future<MigrateResult>> calls = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                MigrationProtocol protocol = protocol(identified, listener, "w" + i);
                protocol.ownReadAfter(Duration.ofMinutes(1)); // what the turn alone does
                calls.add(pool.submit(() -> protocol.migrate(scripts, new SplittableRandom(1))));
            }
            for (Future<MigrateResult> call : calls) {
                results.add(call.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        return results;
    }

    private MigrationProtocol protocol(boolean identified, MigrationListener listener, String owner) {
        return protocol(identified, listener, owner, opened);
    }

    private MigrationProtocol protocol(
            boolean identified, MigrationListener listener, String owner, AtomicInteger opened) {
        SqliteDatabase sqlite =
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty()));
        Database counted = new ForwardingDatabase(sqlite) {
            @Override
            public Session open() throws SQLException {
                opened.incrementAndGet();
                return super.open();
            }

            @Override
            public Optional<String> historyIdentity() {
                return identified ? super.historyIdentity() : Optional.empty();
            }
        };
        MigrationConfig config = MigrationConfig.builder()
                .url(url)
                .location(dir)
                .listener(listener)
                .lockTimeout(Duration.ofSeconds(30))
                .build();
        return new MigrationProtocol(
                counted,
                Clock.systemUTC(),
                Sleeper.SYSTEM,
                Backoff.DEFAULT,
                turns,
                MigrationProtocol.Settings.of(config, owner));
    }
}

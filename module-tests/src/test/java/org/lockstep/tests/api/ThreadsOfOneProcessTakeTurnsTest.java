package org.lockstep.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.sqlite.SQLiteDataSource;

/**
 * Issue 14: the threads of one process that migrate one database take turns in memory; only
 * the thread whose turn it is tries the database's lock, and the others, once it is done,
 * read the work done without trying the lock at all.
 */
final class ThreadsOfOneProcessTakeTurnsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void twentyThreadsOfOneProcessTryTheDatabaseLockOnceBetweenThem() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        for (int i = 1; i <= 20; i++) {
            Files.writeString(scripts.resolve(String.format("%03d_t%d.sql", i, i)), "CREATE TABLE t" + i + " (x);");
        }
        int threads = 20;
        CountDownLatch othersWait = new CountDownLatch(threads - 1);
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                .location(scripts)
                .listener(new MigrationListener() {
                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        othersWait.countDown();
                    }

                    @Override
                    public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                        try {
                            // The thread whose turn it is goes on once every other one waits for it,
                            // so that each of them waited while the migrations were applied.
                            othersWait.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })
                .build();
        CyclicBarrier gate = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<MigrateResult> results = new ArrayList<>();
        try {
            List<Callable<MigrateResult>> calls = new ArrayList<>(Collections.nCopies(threads, () -> {
                gate.await(10, TimeUnit.SECONDS);
                return Migrator.create(config).migrate(); // a Migrator each, as separate components would
            }));
            for (Future<MigrateResult> result : pool.invokeAll(calls)) {
                results.add(result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(
                1,
                results.stream().mapToInt(MigrateResult::lockAttempts).sum(),
                "one thread tried the lock; the others waited their turn in memory and found the work done");
        assertEquals(0, othersWait.getCount(), "every other thread waited");
        assertEquals(20, results.stream().mapToInt(r -> r.applied().size()).sum());
        assertEquals(
                19 * 20,
                results.stream().mapToInt(r -> r.appliedByOthers().size()).sum(),
                "each thread that waited reports the twenty migrations as applied by others");
    }

    @Test
    @Timeout(60)
    void aWaitingThreadReturnsAsSoonAsTheHolderCommitsNotWhenItsCallEnds() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_t.sql"), "CREATE TABLE t (x);");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letHolderReturn = new CountDownLatch(1);
        CountDownLatch waiterWaits = new CountDownLatch(1);
        MigrationConfig holderConfig = MigrationConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                .location(scripts)
                .listener(new MigrationListener() {
                    @Override
                    public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                        holding.countDown();
                        try {
                            // Under the lock and with the turn, until the waiter waits for the turn.
                            waiterWaits.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void migrationCompleted(AppliedMigration migration) {
                        try {
                            // The holder's call goes on after its commit (here, as long as the test
                            // says); its waiters need not wait for that.
                            letHolderReturn.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })
                .build();
        MigrationConfig waiterConfig = MigrationConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                .location(scripts)
                .listener(new MigrationListener() {
                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        waiterWaits.countDown(); // told as it starts to wait for the turn
                    }
                })
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<MigrateResult> holder =
                    pool.submit(() -> Migrator.create(holderConfig).migrate());
            assertTrue(holding.await(20, TimeUnit.SECONDS), "the holder never started its migration");
            Future<MigrateResult> waiter =
                    pool.submit(() -> Migrator.create(waiterConfig).migrate());

            MigrateResult waited = waiter.get(20, TimeUnit.SECONDS);

            assertFalse(holder.isDone(), "the holder's call was held in its listener");
            assertEquals(List.of(), waited.applied());
            assertEquals(1, waited.appliedByOthers().size());
            assertEquals(0, waited.lockAttempts(), "the waiter waited for the turn, not the database lock");
            letHolderReturn.countDown();
            assertEquals(1, holder.get(20, TimeUnit.SECONDS).applied().size());
        } finally {
            letHolderReturn.countDown();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /**
     * Found by the bench's section 4: threads that wait for another process (here a data source's
     * Migrator, which takes no part in the URL's turns) read only through the thread whose turn
     * it is, and that thread's reads began before the commit; a migration that ended before the
     * waiters began, committed after, was not counted as applied by others.
     */
    @Test
    @Timeout(60)
    void threadsThatWaitedThroughAnotherProcessesDeployReportAllOfIt() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_a.sql"), "CREATE TABLE a (x);");
        Files.writeString(scripts.resolve("002_b.sql"), "CREATE TABLE b (x);");
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        int waiters = 3;
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch allWait = new CountDownLatch(waiters);
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl(url);
        MigrationConfig holderConfig = MigrationConfig.builder()
                .dataSource(dataSource)
                .location(scripts)
                .listener(new MigrationListener() {
                    @Override
                    public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                        if (script.startsWith("002")) {
                            // 001 has run, in the same transaction: held here until every waiter waits.
                            holding.countDown();
                            try {
                                allWait.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                })
                .build();
        MigrationConfig waiterConfig = MigrationConfig.builder()
                .url(url)
                .location(scripts)
                .listener(new MigrationListener() {
                    private final java.util.Set<Thread> told = java.util.concurrent.ConcurrentHashMap.newKeySet();

                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        if (told.add(Thread.currentThread())) {
                            allWait.countDown();
                        }
                    }
                })
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(1 + waiters);
        try {
            Future<MigrateResult> holder =
                    pool.submit(() -> Migrator.create(holderConfig).migrate());
            assertTrue(holding.await(20, TimeUnit.SECONDS), "the holder never reached its second migration");
            // The waiters begin in a later millisecond than 001 ended, by the history's clock.
            long later = System.currentTimeMillis() + 2;
            while (System.currentTimeMillis() < later) {
                Thread.onSpinWait();
            }
            List<Future<MigrateResult>> waited = new ArrayList<>();
            for (int w = 0; w < waiters; w++) {
                waited.add(pool.submit(() -> Migrator.create(waiterConfig).migrate()));
            }
            assertEquals(2, holder.get(20, TimeUnit.SECONDS).applied().size());
            for (Future<MigrateResult> waiter : waited) {
                MigrateResult result = waiter.get(20, TimeUnit.SECONDS);
                assertEquals(
                        List.of("001", "002"),
                        result.appliedByOthers().stream()
                                .map(AppliedMigration::name)
                                .toList(),
                        "both migrations of the deploy it waited through");
            }
        } finally {
            allWait.countDown();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}

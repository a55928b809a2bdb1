package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/**
 * Exactly once, all succeed, atomic, for a herd of threads: N threads, one {@link Migrator}
 * each (a new connection per attempt), released together by a start gate against one
 * database, the in-process form of N workers booting at once.
 */
abstract class ThreadHerdContract extends DatabaseContract {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {4, 20})
    @Timeout(120)
    void herdOnFreshDatabaseAppliesEachMigrationExactlyOnce(int workers) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 6, db());

        List<MigrateResult> results = herd(workers, scripts);

        Herds.assertExactlyOnce(db(), 6);
        assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(results, 1, 6);
        assertFalse(db().lockHeld(), "the lock outlived the herd");
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {4, 20})
    @Timeout(120)
    void herdOnOlderDatabaseAppliesOnlyTheNewScriptsExactlyOnce(int workers) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 3, db());
        Migrator.create(db().config(scripts, "deploy-1").build()).migrate();
        Herds.writeScripts(scripts, 4, 7, db());

        List<MigrateResult> results = herd(workers, scripts);

        Herds.assertExactlyOnce(db(), 7);
        assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(results, 4, 7);
        for (MigrateResult result : results) {
            for (AppliedMigration m : result.appliedByOthers()) {
                assertTrue(
                        Integer.parseInt(m.name()) >= 4,
                        "version " + m.name() + " was applied before the herd started, yet reported as raced");
            }
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {20})
    @Timeout(120)
    void failingMigrationFailsEveryWorkerAndChangesNothing(int workers) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 2, db());
        Migrator.create(db().config(scripts, "deploy-1").build()).migrate();
        String before = db().dumpBesideTheFailureLog();
        Herds.writeScripts(scripts, 3, 4, db());
        Herds.write(
                scripts,
                "005_broken.sql",
                "CREATE TABLE partial (x INTEGER);\n"
                        + "INSERT INTO effects (version, note) VALUES (5, 'partial');\nINSERT INTO no_such_table VALUES (1);\n");

        List<Future<MigrateResult>> futures = start(workers, scripts);

        List<String> ranIt = new ArrayList<>();
        List<String> namedAsFirst = new ArrayList<>();
        for (Future<MigrateResult> future : futures) {
            ExecutionException failure =
                    assertThrows(ExecutionException.class, () -> future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            MigrationFailedException cause = assertInstanceOf(MigrationFailedException.class, failure.getCause());
            assertEquals("005", cause.version().orElseThrow().toString());
            assertEquals("005_broken.sql", cause.script());
            assertEquals(3, cause.line());
            if (db().sql().unknownTableSqlState().isPresent()) {
                assertEquals(db().sql().unknownTableSqlState().get(), cause.sqlState());
            }
            cause.failedFirstBy().ifPresentOrElse(namedAsFirst::add, () -> ranIt.add(cause.getMessage()));
        }
        // Versions 3 and 4, their tables and 005's CREATE TABLE are all rolled back; the one
        // worker that ran the deploy recorded its failure, and every other failed at once with it.
        assertEquals(before, db().dumpBesideTheFailureLog());
        assertEquals(1, ranIt.size(), "workers that ran the failing deploy: " + ranIt);
        List<List<String>> log = db().failureLog();
        assertEquals(1, log.size(), log::toString);
        assertEquals("005", log.get(0).get(0));
        assertEquals(workers - 1, namedAsFirst.size());
        assertEquals(Set.of(log.get(0).get(1)), Set.copyOf(namedAsFirst), "each names the worker that failed");
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {20})
    @Timeout(120)
    void repeatableScriptEditedBetweenDeploysIsAppliedOncePerEditByTheHerd(int workers) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 2, db());
        Herds.writeRepeatable(scripts, 1);

        List<MigrateResult> first = herd(workers, scripts);
        Herds.writeRepeatable(scripts, 2);
        List<MigrateResult> second = herd(workers, scripts);
        List<MigrateResult> third = herd(workers, scripts);

        assertOneWinner(first, "views");
        assertOneWinner(second, "views");
        assertTrue(third.stream().allMatch(MigrateResult::wasUpToDate), "an unchanged script was applied again");
        assertEquals(List.of("views edit 1", "views edit 2"), Herds.repeatableEffects(db()));
        assertEquals(2, db().count("SELECT count(*) FROM schema_migrations WHERE version IS NULL"));
        Herds.assertExactlyOnce(db(), 2);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {20})
    @Timeout(120)
    void herdUpgradesAHistoryOfThePreviousReleaseOnceWithItsFirstRepeatableScript(int workers) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 3, db());
        Migrator.create(db().config(scripts, "previous-release").build()).migrate();
        db().rewriteHistoryAsPreviousRelease();
        Herds.writeScripts(scripts, 4, 5, db());
        Herds.writeRepeatable(scripts, 1);

        List<MigrateResult> results = herd(workers, scripts);

        assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(results, 4, 5);
        assertOneWinner(results, "views");
        assertEquals(
                List.of("previous-release", "previous-release", "previous-release"),
                db().strings("SELECT applied_by FROM schema_migrations WHERE applied_rank <= 3 ORDER BY applied_rank"));
        assertEquals(List.of("views edit 1"), Herds.repeatableEffects(db()));
        Herds.assertExactlyOnce(db(), 5);
        Migrator.create(db().config(scripts, "validate").build()).validate();
    }

    /** Exactly one worker applied the repeatable migration; every other one that saw it pending names that one. */
    private static void assertOneWinner(List<MigrateResult> results, String repeatable) {
        List<String> winners = new ArrayList<>();
        for (int w = 0; w < results.size(); w++) {
            for (AppliedMigration applied : results.get(w).applied()) {
                if (applied.isRepeatable() && applied.description().equals(repeatable)) {
                    winners.add("w" + w);
                }
            }
        }
        assertEquals(1, winners.size(), "workers reporting " + repeatable + ": " + winners);
        for (MigrateResult result : results) {
            for (AppliedMigration other : result.appliedByOthers()) {
                if (other.isRepeatable()) {
                    assertEquals(winners.get(0), other.appliedBy(), "a loser names the wrong winner of " + repeatable);
                }
            }
        }
    }

    private List<MigrateResult> herd(int workers, Path scripts) throws Exception {
        List<MigrateResult> results = new ArrayList<>();
        for (Future<MigrateResult> future : start(workers, scripts)) {
            results.add(future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
        return results;
    }

    /**
     * The deploy of issue 18, from an application of eight workers: a slow backfill, then a
     * broken script. Before the failure record, each worker in turn took the lock, ran the
     * backfill again and failed, holding the lock the application's writers wait for; the last
     * ones timed out (a lock error, exit 3) instead of reporting the real failure. Now one worker
     * runs it; the others fail at once with its error, naming it, well within a lock timeout
     * shorter than eight backfills.
     */
    @Test
    @Timeout(120)
    void brokenScriptAfterASlowBackfillRunsOnceAndEveryWorkerReportsItsErrorNotALockTimeout() throws Exception {
        int workers = 8;
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 2, db());
        Herds.write(
                scripts,
                "003_backfill.sql",
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + db().sql().numbers(150_000)
                        + ") AS numbers;\n");
        Herds.write(scripts, "004_broken.sql", "UPDATE big SET no_such_column = 1;\n");
        // One run of the deploy, alone and recording nothing, sets the lock timeout: three runs' worth.
        Migrator.create(db().config(scripts, "warm-up")
                        .target(org.lockstep.MigrationVersion.parse("002"))
                        .build())
                .migrate();
        long single = System.nanoTime();
        assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(db().config(scripts, "alone")
                                .failureWindow(Duration.ZERO)
                                .build())
                        .migrate());
        Duration oneRun = Duration.ofNanos(System.nanoTime() - single);
        Duration lockTimeout = oneRun.multipliedBy(3).plusMillis(500);

        long started = System.nanoTime();
        List<Future<MigrateResult>> futures = start(workers, scripts, lockTimeout);
        Duration herd = Duration.ofNanos(System.nanoTime() - started);

        List<String> ranIt = new ArrayList<>();
        for (Future<MigrateResult> future : futures) {
            ExecutionException failure =
                    assertThrows(ExecutionException.class, () -> future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            MigrationFailedException cause = assertInstanceOf(
                    MigrationFailedException.class, failure.getCause(), () -> "not a lock timeout: " + failure);
            assertEquals("004", cause.version().orElseThrow().toString());
            if (cause.failedFirstBy().isEmpty()) {
                ranIt.add(cause.getMessage());
            }
        }
        assertEquals(1, ranIt.size(), "workers that ran the failing deploy: " + ranIt);
        assertEquals(1, db().failureLog().size());
        assertTrue(
                herd.compareTo(lockTimeout) < 0,
                "the herd took " + herd.toMillis() + " ms; one run takes " + oneRun.toMillis() + " ms");
        assertEquals(List.of("001", "002"), db().appliedVersions());
    }

    private List<Future<MigrateResult>> start(int workers, Path scripts) throws Exception {
        return start(workers, scripts, DEADLINE);
    }

    private List<Future<MigrateResult>> start(int workers, Path scripts, Duration lockTimeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<MigrateResult>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                Migrator migrator = Migrator.create(
                        db().config(scripts, "w" + w).lockTimeout(lockTimeout).build());
                Callable<MigrateResult> worker = () -> {
                    ready.countDown();
                    gate.await();
                    return migrator.migrate();
                };
                futures.add(pool.submit(worker));
            }
            assertTrue(ready.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "workers did not start");
            gate.countDown();
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a worker hung");
        return futures;
    }

    private static void assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(
            List<MigrateResult> results, int from, int to) {
        Map<String, String> winners = new HashMap<>();
        for (int w = 0; w < results.size(); w++) {
            for (AppliedMigration applied : results.get(w).applied()) {
                if (applied.isRepeatable()) {
                    continue; // assertOneWinner
                }
                String previous = winners.put(applied.name(), "w" + w);
                assertEquals(null, previous, "version " + applied.name() + " reported applied twice");
                assertEquals("w" + w, applied.appliedBy());
            }
        }
        for (int v = from; v <= to; v++) {
            assertTrue(winners.containsKey(String.format("%03d", v)), "no worker reports applying version " + v);
        }
        for (MigrateResult result : results) {
            for (AppliedMigration other : result.appliedByOthers()) {
                if (other.isRepeatable()) {
                    continue;
                }
                assertEquals(
                        winners.get(other.name()),
                        other.appliedBy(),
                        "a loser names the wrong winner for " + other.name());
            }
            assertTrue(result.currentVersion().isPresent());
            assertEquals(to, Integer.parseInt(result.currentVersion().get().toString()));
        }
    }
}

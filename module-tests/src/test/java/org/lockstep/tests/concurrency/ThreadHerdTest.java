package org.lockstep.tests.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/**
 * N threads, one Migrator and one connection per attempt each, released together by a start
 * gate against one SQLite file: the in-process form of N workers booting at once.
 */
final class ThreadHerdTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private String urlSuffix = "";

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {4, 20})
    void herdOnFreshDatabaseAppliesEachMigrationExactlyOnce(int workers) throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 1, 6);

        List<MigrateResult> results = herd(workers, database, scripts);

        assertExactlyOnce(database, 6);
        assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(results, 1, 6);
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"DELETE", "TRUNCATE", "WAL"})
    void herdOfTwentyIsExactlyOnceInEveryJournalMode(String journalMode) throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = dir.resolve("migrations");
        SqliteFiles.execute(database, "PRAGMA journal_mode = " + journalMode);
        SqliteFiles.writeHerdScripts(scripts, 1, 6);
        urlSuffix = "?journal_mode=" + journalMode;

        List<MigrateResult> results = herd(20, database, scripts);

        assertExactlyOnce(database, 6);
        assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(results, 1, 6);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {4, 20})
    void herdOnOlderDatabaseAppliesOnlyTheNewScriptsExactlyOnce(int workers) throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 1, 3);
        Migrator.create(config(database, scripts, "deploy-1")).migrate();
        SqliteFiles.writeHerdScripts(scripts, 4, 7);

        List<MigrateResult> results = herd(workers, database, scripts);

        assertExactlyOnce(database, 7);
        assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(results, 4, 7);
        for (MigrateResult result : results) {
            for (AppliedMigration m : result.appliedByOthers()) {
                assertTrue(Integer.parseInt(m.version().toString()) >= 4,
                        "version " + m.version() + " was applied before the herd started, yet reported as raced");
            }
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {20})
    void failingMigrationFailsEveryWorkerAndChangesNothing(int workers) throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 1, 2);
        Migrator.create(config(database, scripts, "deploy-1")).migrate();
        String before = SqliteFiles.dump(database);
        SqliteFiles.writeHerdScripts(scripts, 3, 4);
        SqliteFiles.write(scripts, "005_broken.sql",
                "INSERT INTO effects (version, note) VALUES (5, 'partial');\nINSERT INTO no_such_table VALUES (1);\n");

        List<Future<MigrateResult>> futures = start(workers, database, scripts);

        for (Future<MigrateResult> future : futures) {
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            MigrationFailedException cause = assertInstanceOf(MigrationFailedException.class, failure.getCause());
            assertEquals("005", cause.version().toString());
            assertEquals("005_broken.sql", cause.script());
            assertEquals(2, cause.line());
        }
        assertEquals(before, SqliteFiles.dump(database));
    }

    private List<MigrateResult> herd(int workers, Path database, Path scripts) throws Exception {
        List<MigrateResult> results = new ArrayList<>();
        for (Future<MigrateResult> future : start(workers, database, scripts)) {
            results.add(future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
        return results;
    }

    private List<Future<MigrateResult>> start(int workers, Path database, Path scripts) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<MigrateResult>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                Migrator migrator = Migrator.create(config(database, scripts, "w" + w));
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

    private MigrationConfig config(Path database, Path scripts, String owner) {
        return MigrationConfig.builder().url(SqliteFiles.url(database) + urlSuffix).location(scripts).owner(owner)
                .lockTimeout(DEADLINE).build();
    }

    static void assertExactlyOnce(Path database, int versions) throws SQLException {
        assertEquals(versions, SqliteFiles.count(database, "SELECT count(*) FROM schema_migrations"));
        assertEquals(versions, SqliteFiles.count(database, "SELECT count(DISTINCT version) FROM schema_migrations"));
        assertEquals(versions, SqliteFiles.count(database, "SELECT count(*) FROM effects"));
        assertEquals(versions, SqliteFiles.count(database, "SELECT count(DISTINCT version) FROM effects"));
        for (int v = 1; v <= versions; v += 2) {
            assertEquals(1, SqliteFiles.count(database, "SELECT count(*) FROM t" + v), "rows of t" + v);
        }
        assertEquals("ok", SqliteFiles.integrityCheck(database));
    }

    private static void assertEachMigrationReportedByOneWinnerAndNamedByTheOthers(
            List<MigrateResult> results, int from, int to) {
        Map<String, String> winners = new HashMap<>();
        for (int w = 0; w < results.size(); w++) {
            for (AppliedMigration applied : results.get(w).applied()) {
                String previous = winners.put(applied.version().toString(), "w" + w);
                assertEquals(null, previous, "version " + applied.version() + " reported applied twice");
                assertEquals("w" + w, applied.appliedBy());
            }
        }
        for (int v = from; v <= to; v++) {
            assertTrue(winners.containsKey(String.format("%03d", v)), "no worker reports applying version " + v);
        }
        for (MigrateResult result : results) {
            for (AppliedMigration other : result.appliedByOthers()) {
                assertEquals(winners.get(other.version().toString()), other.appliedBy(),
                        "a loser names the wrong winner for " + other.version());
            }
            assertTrue(result.currentVersion().isPresent());
            assertEquals(to, Integer.parseInt(result.currentVersion().get().toString()));
        }
    }
}

package org.lockstep.tests.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * {@code kill -9} a worker process at moments spread over a long migration, then check that
 * the database is exactly as before or exactly migrated, never in between, and that one
 * more ordinary run finishes the job with nothing to repair by hand.
 */
final class KillIT {
    private static final int TRIALS = 5;
    private static final int BIG_ROWS = 600_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"DELETE", "TRUNCATE", "WAL"})
    void workerKilledMidMigrationLeavesNothingHalfDoneAndTheNextRunCompletesIt(String journalMode) throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 1, 1);
        SqliteFiles.write(scripts, "002_backfill.sql", "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                + "INSERT INTO big SELECT value, hex(randomblob(32)) FROM (WITH RECURSIVE c(value) AS"
                + " (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < " + BIG_ROWS + ") SELECT value FROM c);\n"
                + "INSERT INTO effects (version, note) VALUES (2, 'backfill');\n");
        SqliteFiles.write(scripts, "003_after.sql", "INSERT INTO effects (version, note) VALUES (3, 'after');\n");
        int killedMidway = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Path database = dir.resolve("trial-" + trial + ".db");
            SqliteFiles.execute(database, "PRAGMA journal_mode = " + journalMode,
                    "CREATE TABLE app_data (id INTEGER PRIMARY KEY)", "INSERT INTO app_data VALUES (42)");
            String url = SqliteFiles.url(database) + "?journal_mode=" + journalMode;
            ChildJvm child = ChildJvm.start(dir, "trial-" + trial, List.of("migrate", "--url", url,
                    "--migrations", scripts.toString(), "--owner", "doomed-" + trial));
            child.awaitReady();
            child.release();
            // Kill moments spread over the run, with jitter: early ones land before the lock,
            // later ones inside the backfill or its commit.
            long killAfterMillis = trial * 180L + random.nextLong(120);
            boolean exited = child.process().waitFor(killAfterMillis, TimeUnit.MILLISECONDS);
            if (!exited) {
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "killed child did not die");
                killedMidway++;
            }

            String context = "seed " + seed + ", trial " + trial + ", killed after " + killAfterMillis + " ms";
            assertEquals("ok", SqliteFiles.integrityCheck(database), context);
            boolean migrated = SqliteFiles.tableExists(database, "schema_migrations");
            if (migrated) {
                assertFullyMigrated(database, "doomed-" + trial, context);
            } else {
                assertEquals(List.of("app_data"), SqliteFiles.strings(database,
                        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), context);
            }

            MigrateResult rerun = Migrator.create(MigrationConfig.builder().url(url).location(scripts)
                    .owner("survivor-" + trial).build()).migrate();
            assertEquals(migrated ? 0 : 3, rerun.applied().size(), context);
            assertFullyMigrated(database, migrated ? "doomed-" + trial : "survivor-" + trial, context);
            assertEquals("ok", SqliteFiles.integrityCheck(database), context);
        }
        assertTrue(killedMidway > 0, "no trial killed a worker before it finished");
    }

    private static void assertFullyMigrated(Path database, String owner, String context) throws Exception {
        assertEquals(List.of("001", "002", "003"),
                SqliteFiles.strings(database, "SELECT version FROM schema_migrations ORDER BY version"), context);
        assertEquals(List.of(owner), SqliteFiles.strings(database, "SELECT DISTINCT applied_by FROM schema_migrations"),
                context);
        assertEquals(3, SqliteFiles.count(database, "SELECT count(*) FROM effects"), context);
        assertEquals(BIG_ROWS, SqliteFiles.count(database, "SELECT count(*) FROM big"), context);
        assertEquals(1, SqliteFiles.count(database, "SELECT count(*) FROM app_data"), context);
    }
}

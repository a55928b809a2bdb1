package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.MigrateResult;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.TestDatabase;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * Atomic under {@code kill -9}: a worker process is killed at moments spread over a long
 * migration (a backfill of {@value #BIG_ROWS} rows), and then the database is exactly as before
 * or exactly migrated, never in between; the dead worker's lock goes with it (the operating
 * system or the server releases it, nobody cleans up); and one more ordinary run finishes the
 * job exactly once. The seed of the kill moments is in every failure message. The same holds
 * for the deploy that upgrades a history of the previous release's format: killed anywhere, the
 * table is of the old format with nothing of the deploy, or of the new one with all of it.
 */
abstract class KillContract extends DatabaseContract {
    private static final int TRIALS = 5;
    private static final int UPGRADE_TRIALS = 3;
    private static final int BIG_ROWS = 1_000_000;
    /** How long the dead worker's lock may outlive it: a server notices a killed client within a second or two. */
    private static final Duration LOCK_RELEASE = Duration.ofSeconds(30);

    @Test
    @Timeout(600)
    void workerKilledMidMigrationLeavesNothingHalfDoneAndTheNextRunCompletesIt() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 1, db());
        Herds.write(
                scripts,
                "002_backfill.sql",
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + db().sql().numbers(BIG_ROWS) + ") AS numbers;\n"
                        + "INSERT INTO effects (version, note) VALUES (2, 'backfill');\n");
        Herds.write(scripts, "003_after.sql", "INSERT INTO effects (version, note) VALUES (3, 'after');\n");
        int killedMidway = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            TestDatabase db = trial == 0 ? db() : freshDatabase("trial-" + trial);
            db.execute("CREATE TABLE app_data (id INTEGER PRIMARY KEY)", "INSERT INTO app_data VALUES (42)");
            List<String> command = new ArrayList<>(List.of("migrate"));
            command.addAll(db.commandOptions(dir));
            command.addAll(List.of("--migrations", scripts.toString(), "--owner", "doomed-" + trial));
            WorkerProcess child = WorkerProcess.start(dir, "trial-" + trial, command, db.driverClassPath());
            child.awaitReady();
            child.release();
            // Kill moments spread over the run, with jitter: early ones land before the lock,
            // later ones inside the backfill or at its commit.
            long killAfterMillis = trial * 200L + random.nextLong(150);
            boolean exited = child.process().waitFor(killAfterMillis, TimeUnit.MILLISECONDS);
            if (!exited) {
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "killed child did not die");
                killedMidway++;
            }
            String context =
                    db.dialect() + ", seed " + seed + ", trial " + trial + ", killed after " + killAfterMillis + " ms";

            // Taking the lock proves the dead worker's is gone, and lets a commit that was in
            // flight at the kill land before the state is read.
            try (TestDatabase.LockHolder freed = db.holdLock(LOCK_RELEASE)) {
                db.assertIntact();
            }
            boolean migrated = db.tables().contains("schema_migrations");
            if (migrated) {
                assertFullyMigrated(db, "doomed-" + trial, context);
            } else {
                assertEquals(List.of("app_data"), db.tables(), context);
            }

            MigrateResult rerun = Migrator.create(
                            db.config(scripts, "survivor-" + trial).build())
                    .migrate();
            assertEquals(migrated ? 0 : 3, rerun.applied().size(), context);
            assertFullyMigrated(db, migrated ? "doomed-" + trial : "survivor-" + trial, context);
            db.assertIntact();
        }
        assertTrue(killedMidway > 0, "no trial killed a worker before it finished");
    }

    @Test
    @Timeout(600)
    void workerKilledMidDeployThatUpgradesTheHistoryLeavesThePreviousFormatOrTheWholeDeploy() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        Path previous = dir.resolve("previous");
        Herds.writeScripts(previous, 1, 1, db());
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 1, db());
        Herds.write(
                scripts,
                "002_backfill.sql",
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + db().sql().numbers(BIG_ROWS) + ") AS numbers;\n"
                        + "INSERT INTO effects (version, note) VALUES (2, 'backfill');\n");
        Herds.write(scripts, "003_after.sql", "INSERT INTO effects (version, note) VALUES (3, 'after');\n");
        Herds.writeRepeatable(scripts, 1);
        int killedMidway = 0;
        for (int trial = 0; trial < UPGRADE_TRIALS; trial++) {
            TestDatabase db = trial == 0 ? db() : freshDatabase("upgrade-" + trial);
            db.execute("CREATE TABLE app_data (id INTEGER PRIMARY KEY)", "INSERT INTO app_data VALUES (42)");
            Migrator.create(db.config(previous, "previous-release").build()).migrate();
            db.rewriteHistoryAsPreviousRelease();
            String before = db.dump();
            List<String> command = new ArrayList<>(List.of("migrate"));
            command.addAll(db.commandOptions(dir));
            command.addAll(List.of("--migrations", scripts.toString(), "--owner", "doomed-" + trial));
            WorkerProcess child = WorkerProcess.start(dir, "upgrade-" + trial, command, db.driverClassPath());
            child.awaitReady();
            child.release();
            // Spread over the run: before the lock, and inside the transaction that upgrades the
            // history first and then backfills, or at its commit.
            long killAfterMillis = 150 + trial * 250L + random.nextLong(200);
            boolean exited = child.process().waitFor(killAfterMillis, TimeUnit.MILLISECONDS);
            if (!exited) {
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "killed child did not die");
                killedMidway++;
            }
            String context =
                    db.dialect() + ", seed " + seed + ", trial " + trial + ", killed after " + killAfterMillis + " ms";

            try (TestDatabase.LockHolder freed = db.holdLock(LOCK_RELEASE)) {
                db.assertIntact();
            }
            boolean upgraded = db.columns("schema_migrations").contains("applied_rank");
            if (upgraded) {
                assertFullyMigratedWithViews(db, "doomed-" + trial, context);
            } else {
                assertEquals(before, db.dump(), context + ": the previous format and nothing of the deploy");
            }

            MigrateResult rerun = Migrator.create(
                            db.config(scripts, "survivor-" + trial).build())
                    .migrate();
            assertEquals(upgraded ? 0 : 3, rerun.applied().size(), context);
            assertFullyMigratedWithViews(db, upgraded ? "doomed-" + trial : "survivor-" + trial, context);
            Migrator.create(db.config(scripts, "validate").build()).validate();
        }
        assertTrue(killedMidway > 0, "no trial killed a worker before it finished");
    }

    private static void assertFullyMigratedWithViews(TestDatabase db, String owner, String context) throws Exception {
        assertEquals(List.of("001", "002", "003"), db.appliedVersions(), context);
        assertEquals(
                List.of("previous-release", owner, owner, owner),
                db.strings("SELECT applied_by FROM schema_migrations ORDER BY applied_rank"),
                context);
        assertEquals(List.of("views edit 1"), Herds.repeatableEffects(db), context);
        assertEquals(3, db.count("SELECT count(*) FROM effects WHERE version > 0"), context);
        assertEquals(BIG_ROWS, db.count("SELECT count(*) FROM big"), context);
        assertEquals(1, db.count("SELECT count(*) FROM app_data"), context);
    }

    private static void assertFullyMigrated(TestDatabase db, String owner, String context) throws Exception {
        assertEquals(List.of("001", "002", "003"), db.appliedVersions(), context);
        assertEquals(List.of(owner), db.strings("SELECT DISTINCT applied_by FROM schema_migrations"), context);
        assertEquals(3, db.count("SELECT count(*) FROM effects"), context);
        assertEquals(BIG_ROWS, db.count("SELECT count(*) FROM big"), context);
        assertEquals(1, db.count("SELECT count(*) FROM app_data"), context);
    }
}

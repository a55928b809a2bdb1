package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.Migrator;
import org.lockstep.tests.concurrency.ChildJvm;

/**
 * {@code kill -9} a worker process at moments spread over a long migration (an
 * {@code INSERT ... SELECT generate_series}), then check that the schema is exactly as before
 * or exactly migrated, that the server releases the dead session's advisory lock by itself,
 * and that one more ordinary run finishes the job exactly once.
 */
final class PostgresKillIT {
    private static final int TRIALS = 4;
    private static final int BIG_ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void workerKilledMidMigrationLeavesNothingHalfDoneAndTheNextRunCompletesIt() throws Exception {
        PostgresServer server = PostgresServer.require();
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 1);
        PostgresServer.write(scripts, "002_backfill.sql", "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                + "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, " + BIG_ROWS + ") g;\n"
                + "INSERT INTO effects (version, note) VALUES (2, 'backfill');\n");
        PostgresServer.write(scripts, "003_after.sql", "INSERT INTO effects (version, note) VALUES (3, 'after');\n");
        Path passwordFile = Files.writeString(dir.resolve("password"), server.password);
        int killedMidway = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            PostgresServer.Schema schema = server.freshSchema();
            schema.execute("CREATE TABLE app_data (id INTEGER PRIMARY KEY)", "INSERT INTO app_data VALUES (42)");
            ChildJvm child = ChildJvm.start(dir, "trial-" + trial, List.of("migrate", "--url", schema.url(),
                    "--user", server.user, "--password-file", passwordFile.toString(),
                    "--migrations", scripts.toString(), "--owner", "doomed-" + trial),
                    List.of(PostgresProcessHerdIT.driverJar()));
            child.awaitReady();
            child.release();
            // Early kills land before the lock, later ones inside the backfill or at its commit.
            long killAfterMillis = 150 + trial * 250L + random.nextLong(150);
            boolean exited = child.process().waitFor(killAfterMillis, TimeUnit.MILLISECONDS);
            if (!exited) {
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "killed child did not die");
                killedMidway++;
            }
            String context = "seed " + seed + ", trial " + trial + ", killed after " + killAfterMillis + " ms";

            // The dead session's lock goes with it: no one cleans anything up. Waiting for that
            // also lets a COMMIT already in flight at the kill land before the state is read.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (schema.lockHeld()) {
                assertTrue(System.nanoTime() < deadline, "the dead worker's lock was not released; " + context);
                TimeUnit.MILLISECONDS.sleep(20);
            }
            boolean migrated = schema.tables().contains("schema_migrations");
            if (migrated) {
                assertFullyMigrated(schema, "doomed-" + trial, context);
            } else {
                assertEquals(List.of("app_data"), schema.tables(), context);
            }

            MigrateResult rerun = Migrator.create(schema.config(scripts, "survivor-" + trial).build()).migrate();
            assertEquals(migrated ? 0 : 3, rerun.applied().size(), context);
            assertFullyMigrated(schema, migrated ? "doomed-" + trial : "survivor-" + trial, context);
        }
        assertTrue(killedMidway > 0, "no trial killed a worker before it finished");
    }

    private static void assertFullyMigrated(PostgresServer.Schema schema, String owner, String context)
            throws Exception {
        assertEquals(List.of("001", "002", "003"), schema.strings("SELECT version FROM schema_migrations ORDER BY 1"),
                context);
        assertEquals(List.of(owner), schema.strings("SELECT DISTINCT applied_by FROM schema_migrations"), context);
        assertEquals(3, schema.count("SELECT count(*) FROM effects"), context);
        assertEquals(BIG_ROWS, schema.count("SELECT count(*) FROM big"), context);
        assertEquals(1, schema.count("SELECT count(*) FROM app_data"), context);
    }
}

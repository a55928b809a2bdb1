package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.cli.Workspace;
import org.lockstep.tests.fixture.TestDatabase;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * A stuck holder: a worker process that holds the migration lock in the middle of a backfill is
 * stopped with {@code SIGSTOP} (as a debugger, a hung NFS mount or a frozen VM would stop it).
 * Another worker waits for its lock timeout and fails with exit code 3 and a message that names
 * the holder ({@link #holderNamed}), and {@code lockstep info} names it too; nothing changed.
 * Continued with {@code SIGCONT}, the holder finishes its deploy, exactly once, and a rerun has
 * nothing to do.
 */
abstract class StuckHolderContract extends DatabaseContract {
    private static final int APP_ROWS = 1_000;
    private static final int BACKFILL_ROWS = 600_000;

    /** The text the lock error and {@code info} name the stopped holder by. */
    abstract List<String> holderNamed(WorkerProcess holder);

    @Test
    @Timeout(300)
    void holderStoppedPastTheLockTimeoutIsNamedThenContinuedFinishesExactlyOnce() throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.write(
                scripts,
                "001_app.sql",
                "CREATE TABLE app_data (id INTEGER NOT NULL, note TEXT NOT NULL);\n"
                        + "INSERT INTO app_data SELECT n, 'row ' || n FROM ("
                        + db().sql().numbers(APP_ROWS) + ") AS numbers;\n");
        Herds.write(
                scripts,
                "002_backfill.sql",
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + db().sql().numbers(BACKFILL_ROWS) + ") AS numbers;\n");
        Herds.write(scripts, "003_after.sql", "CREATE TABLE after_deploy (id INTEGER);\n");
        Migrator.create(db().config(scripts, "earlier-deploy")
                        .target(MigrationVersion.parse("001"))
                        .build())
                .migrate();

        List<String> command = new ArrayList<>(List.of("migrate", "--quiet"));
        command.addAll(db().commandOptions(dir));
        command.addAll(List.of("--migrations", scripts.toString(), "--owner", "stuck"));
        WorkerProcess holder = WorkerProcess.start(dir, "stuck", command, db().driverClassPath());
        holder.awaitReady();
        holder.release();
        awaitLockHeld(holder);
        holder.signal("STOP");
        try {
            List<String> blocked = new ArrayList<>(List.of("migrate", "--lock-timeout", "1500ms"));
            blocked.addAll(db().commandOptions(dir));
            blocked.addAll(List.of("--migrations", scripts.toString(), "--owner", "blocked"));
            Workspace.Run waited = Workspace.run(Map.of(), blocked.toArray(String[]::new));

            assertEquals(3, waited.exitCode(), waited::toString);
            for (String name : holderNamed(holder)) {
                assertTrue(waited.err().contains(name), () -> "[" + name + "] in " + waited);
            }
            List<String> info = new ArrayList<>(List.of("info"));
            info.addAll(db().commandOptions(dir));
            Workspace.Run shown = Workspace.run(Map.of(), info.toArray(String[]::new));
            assertEquals(0, shown.exitCode(), shown::toString);
            assertTrue(shown.out().contains("held by another connection: "), shown::toString);
            for (String name : holderNamed(holder)) {
                assertTrue(shown.out().contains(name), () -> "[" + name + "] in " + shown);
            }
        } finally {
            holder.signal("CONT");
        }

        assertEquals(0, holder.awaitExit(120), holder::stderr);
        assertEquals(List.of("001", "002", "003"), db().appliedVersions());
        assertEquals(
                List.of("earlier-deploy", "stuck"),
                db().strings("SELECT DISTINCT applied_by FROM schema_migrations" + " ORDER BY applied_by"));
        assertEquals(BACKFILL_ROWS, db().count("SELECT count(*) FROM big"));
        db().assertIntact();
        MigrateResult rerun =
                Migrator.create(db().config(scripts, "rerun").build()).migrate();
        assertEquals(0, rerun.applied().size());
        long rowsLost = APP_ROWS - db().count("SELECT count(*) FROM app_data");
        assertEquals(0, rowsLost);
        org.lockstep.tests.fixture.FaultMatrix.report(
                "holder stopped (SIGSTOP) past the lock timeout, " + db().dialect(), 1, 1, rowsLost);
    }

    // Polls until the holder holds the lock (it is then inside the backfill), boundedly.
    private void awaitLockHeld(WorkerProcess holder) throws Exception {
        TestDatabase db = db();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!db.lockHeld()) {
            assertTrue(
                    holder.process().isAlive(), () -> "the holder ended before it took the lock: " + holder.stderr());
            assertTrue(System.nanoTime() < deadline, "the holder never took the lock");
            holder.process().waitFor(2, TimeUnit.MILLISECONDS);
        }
    }
}

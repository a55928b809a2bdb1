package org.lockstep.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.cli.Workspace;
import org.lockstep.tests.fixture.FaultMatrix;
import org.lockstep.tests.fixture.PostgresDatabase;
import org.lockstep.tests.fixture.PostgresServer;

/**
 * The lock holder's backend terminated in the middle of a deploy ({@code pg_terminate_backend},
 * what an operator does to a runaway session; a server crash or a network cut ends the
 * connection the same way): the command exits 6 with a message that says the connection was
 * lost, that the deploy was rolled back and at which version the database is (read back on a
 * new connection); the database is at its previous version, and a rerun completes it once.
 */
final class PostgresBackendTerminatedTest {
    private static final int APP_ROWS = 1_000;
    private static final int BACKFILL_ROWS = 500_000;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private PostgresDatabase db;

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Timeout(180)
    void holderWhoseBackendIsTerminatedMidDeployExitsSixNamingTheVersionAndARerunCompletesOnce() throws Exception {
        db = PostgresServer.shared().freshDatabase();
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_app.sql"),
                "CREATE TABLE app_data (id INTEGER NOT NULL, note TEXT NOT NULL);\n"
                        + "INSERT INTO app_data SELECT n, 'row ' || n FROM ("
                        + db.sql().numbers(APP_ROWS)
                        + ") AS numbers;\n");
        Files.writeString(
                scripts.resolve("002_backfill.sql"),
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + db.sql().numbers(BACKFILL_ROWS)
                        + ") AS numbers;\n");
        Files.writeString(scripts.resolve("003_after.sql"), "CREATE TABLE after_deploy (id INTEGER);\n");
        Migrator.create(db.config(scripts, "earlier-deploy")
                        .target(MigrationVersion.parse("001"))
                        .build())
                .migrate();
        String before = db.dump();

        List<String> args = new ArrayList<>(List.of("migrate", "--quiet", "--owner", "doomed"));
        args.addAll(db.commandOptions(dir));
        args.addAll(List.of("--migrations", scripts.toString()));
        Future<Workspace.Run> running = pool.submit(() -> Workspace.run(Map.of(), args.toArray(String[]::new)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!db.lockHeld()) {
            assertTrue(!running.isDone(), () -> "the deploy ended before it took the lock: " + result(running));
            assertTrue(System.nanoTime() < deadline, "the deploy never took the lock");
            Thread.onSpinWait();
        }
        assertEquals(1, db.terminateLockHolder());

        Workspace.Run run = running.get(120, TimeUnit.SECONDS);
        assertEquals(6, run.exitCode(), run::toString);
        assertTrue(run.err().contains("lost the connection"), run::toString);
        assertTrue(
                run.err()
                        .contains("The deploy was rolled back: nothing of it was committed; the database is at"
                                + " version [001]"),
                run::toString);
        assertEquals(before, db.dump());

        MigrateResult rerun =
                Migrator.create(db.config(scripts, "rerun").build()).migrate();
        assertEquals(2, rerun.applied().size());
        assertEquals(List.of("001", "002", "003"), db.appliedVersions());
        assertEquals(BACKFILL_ROWS, db.count("SELECT count(*) FROM big"));
        long rowsLost = APP_ROWS - db.count("SELECT count(*) FROM app_data");
        assertEquals(0, rowsLost);
        FaultMatrix.report("PostgreSQL: lock holder's backend terminated mid-deploy", 1, 1, rowsLost);
    }

    private static String result(Future<Workspace.Run> running) {
        try {
            return running.get().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }
}

package org.lockstep.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.FaultMatrix;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * A SQLite database file replaced (a restore moved over it) or deleted while workers wait for
 * its lock: a waiter's connection still reaches the old file, whose writes would be lost with it
 * and whose lock no longer keeps out a worker that opens the new one. Each waiter notices at its
 * next try of the lock and exits 6 with a message that names what happened and says it changed
 * nothing; no worker creates a file at the path; the file now there is as it was put there, and a
 * rerun migrates it exactly once.
 */
final class DatabaseReplacedIT {
    private static final int WORKERS = 2;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void waitersOfAReplacedFileExitSixChangingNothingAndARerunMigratesTheNewFileOnce() throws Exception {
        SqliteDatabase db = SqliteDatabase.create(dir, "app");
        Path scripts = writeScripts();
        String before = db.dump();

        // The backup to restore, taken first: copying the file while this process holds its lock
        // would close a descriptor of it, and POSIX drops every lock a process holds on a file
        // when it closes any descriptor of it.
        Path restored = Files.copy(db.file(), dir.resolve("restored.db"));
        List<WorkerProcess> workers;
        try (TestDatabase.LockHolder holder = db.holdLock(Duration.ofSeconds(5))) {
            workers = waitingWorkers(db, scripts);
            Files.move(restored, db.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertExitSix(workers, "was replaced by another file while this worker had it open");
        }

        db.assertIntact();
        assertEquals(before, db.dump(), "the restored file, as it was put there");
        MigrateResult rerun =
                Migrator.create(db.config(scripts, "rerun").build()).migrate();
        assertEquals(2, rerun.applied().size());
        assertEquals(List.of("001", "002", "003"), db.appliedVersions());
        assertEquals(1, db.count("SELECT count(*) FROM effects"));
        long rowsLost = 100 - db.count("SELECT count(*) FROM app_data");
        assertEquals(0, rowsLost);
        FaultMatrix.report("SQLite file replaced while " + WORKERS + " workers wait", WORKERS, WORKERS, rowsLost);
    }

    @Test
    @Timeout(120)
    void waitersOfADeletedFileExitSixAndCreateNoFileInItsPlace() throws Exception {
        SqliteDatabase db = SqliteDatabase.create(dir, "app");
        Path scripts = writeScripts();

        List<WorkerProcess> workers;
        try (TestDatabase.LockHolder holder = db.holdLock(Duration.ofSeconds(5))) {
            workers = waitingWorkers(db, scripts);
            Files.delete(db.file());
            assertExitSix(workers, "was deleted while this worker had it open");
        }

        assertFalse(Files.exists(db.file()), "no worker made an empty database in its place");
        MigrateResult rerun =
                Migrator.create(db.config(scripts, "rerun").build()).migrate();
        assertEquals(3, rerun.applied().size(), "a new database, migrated from the start, once");
        assertEquals(1, db.count("SELECT count(*) FROM effects"));
        db.assertIntact();
        FaultMatrix.report("SQLite file deleted while " + WORKERS + " workers wait", WORKERS, WORKERS, 0);
    }

    private Path writeScripts() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_app.sql"),
                "CREATE TABLE app_data (id INTEGER PRIMARY KEY);\n"
                        + "INSERT INTO app_data SELECT n FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL"
                        + " SELECT n + 1 FROM c WHERE n < 100) SELECT n FROM c);\n");
        Files.writeString(scripts.resolve("002_more.sql"), "CREATE TABLE more (id INTEGER);\n");
        Files.writeString(
                scripts.resolve("003_effects.sql"),
                "CREATE TABLE effects (version INTEGER);\nINSERT INTO effects VALUES (3);\n");
        SqliteDatabase db = SqliteDatabase.create(dir, "app");
        Migrator.create(db.config(scripts, "earlier-deploy")
                        .target(MigrationVersion.parse("001"))
                        .build())
                .migrate();
        return scripts;
    }

    // Workers released against the held lock, returned once each has the file open (it waits then).
    private List<WorkerProcess> waitingWorkers(SqliteDatabase db, Path scripts) throws Exception {
        List<WorkerProcess> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<String> command = new ArrayList<>(List.of("migrate", "--quiet", "--lock-timeout", "60s"));
            command.addAll(db.commandOptions(dir));
            command.addAll(List.of("--migrations", scripts.toString(), "--owner", "w" + w));
            workers.add(WorkerProcess.start(dir, "w" + w, command, List.of()));
        }
        WorkerProcess.releaseTogether(workers);
        Path file = db.file().toRealPath();
        for (WorkerProcess worker : workers) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!hasOpen(worker, file)) {
                assertTrue(worker.process().isAlive(), worker::stderr);
                assertTrue(System.nanoTime() < deadline, "the worker never opened the database");
                worker.process().waitFor(5, TimeUnit.MILLISECONDS);
            }
        }
        return workers;
    }

    private static boolean hasOpen(WorkerProcess worker, Path file) {
        try (Stream<Path> fds =
                Files.list(Path.of("/proc", Long.toString(worker.process().pid()), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertExitSix(List<WorkerProcess> workers, String says) throws Exception {
        for (WorkerProcess worker : workers) {
            int exit = worker.awaitExit(60);
            String err = worker.stderr();
            assertEquals(6, exit, err);
            assertTrue(err.contains(says), err);
            assertTrue(err.contains("This worker changed nothing"), err);
        }
    }
}

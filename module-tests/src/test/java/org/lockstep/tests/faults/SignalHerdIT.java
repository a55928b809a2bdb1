package org.lockstep.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.FaultMatrix;
import org.lockstep.tests.fixture.SqlDialect;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * {@code SIGTERM} and {@code SIGINT} at a random moment of a herd: four processes run
 * {@code lockstep migrate} on one SQLite file with a long backfill, released together; at a
 * random moment within the backfill (0-400 ms after one is seen holding the lock) every one of
 * them gets a signal, so one is applying and the others wait for the lock. One herd per journal
 * mode by default, five with {@code -Dlockstep.faults.all=true}. Each exits with 128 + the signal (143, 130), having printed one line
 * that names the signal and says what was rolled back and at which version the database is; no
 * hot journal is left (the rollback was explicit); the file passes {@code integrity_check} and is
 * at its previous version or fully migrated, never between; a rerun completes exactly once. Then
 * a holder gets two signals: the second ends it at once, and the next opener's rollback leaves
 * the database at its previous version. The moment's seed is printed.
 */
@ParameterizedClass(name = "journal_mode={0}")
@ValueSource(strings = {"DELETE", "WAL"})
final class SignalHerdIT {
    private static final int WORKERS = 4;
    private static final int APP_ROWS = 1_000;
    private static final int BACKFILL_ROWS = 600_000;
    /** Herds per journal mode with {@code -Dlockstep.faults.all=true}; one by default. */
    private static final int WHOLE_SWEEP_ROUNDS = 5;

    @Parameter
    String journalMode;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void signalsAtARandomMomentOfAHerdRollBackSayWhatAndExitWith128PlusTheSignal() throws Exception {
        SplittableRandom random = new SplittableRandom(FaultMatrix.seed("SignalHerdIT " + journalMode));
        Path scripts = writeScripts();
        int rounds = FaultMatrix.wholeSweep() ? WHOLE_SWEEP_ROUNDS : 1;
        int injected = 0;
        int applying = 0;
        int waiting = 0;
        long rowsLost = 0;
        for (int round = 0; round < rounds; round++) {
            int[] counts = herdRound(random, scripts, round);
            injected += counts[0];
            applying += counts[1];
            waiting += counts[2];
            rowsLost += counts[3];
        }
        System.out.println("SignalHerdIT " + journalMode + ": " + applying + " stopped applying, " + waiting
                + " stopped waiting, of " + injected + " signalled in " + rounds + " herds");
        FaultMatrix.report(
                "SIGTERM/SIGINT in " + rounds + " herds of " + WORKERS + ", " + journalMode,
                injected,
                injected,
                rowsLost);
    }

    // One herd signalled at a random moment; returns {signalled, stopped applying, stopped waiting, rows lost}.
    private int[] herdRound(SplittableRandom random, Path scripts, int round) throws Exception {
        SqliteDatabase db = SqliteDatabase.create(dir, "herd" + round, journalMode);
        migrateFirst(db, scripts);
        String before = db.dump();

        List<WorkerProcess> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String name = "r" + round + "w" + w;
            workers.add(WorkerProcess.start(dir, name, command(db, scripts, name), List.of()));
        }
        WorkerProcess.releaseTogether(workers);
        // The fault's moment: a random time after one worker is seen holding the lock (inside
        // the backfill, the others waiting); the herd runs meanwhile, and may end before it.
        awaitLockHeld(db, workers);
        long moment = random.nextLong(400);
        workers.get(0).process().waitFor(moment, TimeUnit.MILLISECONDS);
        List<String> sent = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            String signal = random.nextBoolean() ? "TERM" : "INT";
            sent.add(signal);
            worker.signalIfAlive(signal); // a worker that ends first exits 0, checked below
        }

        int injected = 0;
        int applying = 0;
        int waiting = 0;
        for (int w = 0; w < WORKERS; w++) {
            WorkerProcess worker = workers.get(w);
            int exit = worker.awaitExit(120);
            String err = worker.stderr();
            String context = journalMode + ", herd " + round + ", " + moment + " ms into the lock, w" + w + " got SIG"
                    + sent.get(w) + ", exit " + exit + ": " + err;
            int expected = sent.get(w).equals("TERM") ? 143 : 130;
            assertTrue(exit == expected || exit == 0, context);
            if (exit == 0) {
                continue; // done before its signal came
            }
            injected++;
            List<String> lines =
                    err.lines().filter(line -> line.startsWith("lockstep")).toList();
            assertEquals(1, lines.size(), "one line: " + context);
            String line = lines.get(0);
            assertTrue(line.contains("SIG" + sent.get(w) + " received"), context);
            // The database's version, or (signalled as it started) that it had not read it yet.
            boolean stateTold = line.contains("the database is at version [001]")
                    || line.contains("this worker had not read the database's history yet");
            // "applying": inside a script; "migrating": holding the lock between its steps
            // (the re-read under the lock, the check before commit).
            if (line.contains("while applying") || line.contains("while migrating")) {
                applying++;
                assertTrue(line.contains("the deploy was rolled back") && stateTold, context);
            } else if (line.contains("waiting for the lock") || line.contains("before it took the lock")) {
                waiting++;
                assertTrue(line.contains("nothing of this deploy was committed") && stateTold, context);
            } else {
                assertTrue(
                        line.contains("no migration was running") || line.contains("as the command finished"), context);
            }
        }

        assertFalse(Files.exists(Path.of(db.file() + "-journal")), "no hot journal was left");
        assertFalse(db.lockHeld());
        db.assertIntact();
        boolean migrated = db.appliedVersions().size() == 3;
        if (!migrated) {
            assertEquals(before, db.dump(), "at its previous version, or fully migrated");
        }
        assertRerunCompletesOnce(db, scripts, migrated);
        long rowsLost = APP_ROWS - db.count("SELECT count(*) FROM app_data");
        assertEquals(0, rowsLost);
        return new int[] {injected, applying, waiting, (int) rowsLost};
    }

    @Test
    @Timeout(300)
    void secondSignalEndsAHolderAtOnceAndTheNextOpenerRollsItsWorkBack() throws Exception {
        Path scripts = writeScripts();
        SqliteDatabase db = SqliteDatabase.create(dir, "twice", journalMode);
        migrateFirst(db, scripts);
        String before = db.dump();
        WorkerProcess holder = WorkerProcess.start(dir, "holder", command(db, scripts, "holder"), List.of());
        holder.awaitReady();
        holder.release();
        awaitLockHeld(db, holder);

        holder.signal("TERM");
        holder.signal("TERM");

        assertEquals(143, holder.awaitExit(60), holder::stderr);
        db.assertIntact(); // the first opener after it rolls a hot journal back, if one was left
        assertEquals(before, db.dump());
        assertRerunCompletesOnce(db, scripts, false);
        long rowsLost = APP_ROWS - db.count("SELECT count(*) FROM app_data");
        FaultMatrix.report("second SIGTERM to a holder, " + journalMode, 1, 1, rowsLost);
    }

    private Path writeScripts() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_app.sql"),
                "CREATE TABLE app_data (id INTEGER PRIMARY KEY, note TEXT NOT NULL);\n"
                        + "INSERT INTO app_data (note) SELECT 'row ' || n FROM (" + SqlDialect.SQLITE.numbers(APP_ROWS)
                        + ");\n");
        Files.writeString(
                scripts.resolve("002_backfill.sql"),
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + SqlDialect.SQLITE.numbers(BACKFILL_ROWS) + ");\n");
        Files.writeString(scripts.resolve("003_after.sql"), "CREATE TABLE after_deploy (id INTEGER);\n");
        return scripts;
    }

    private static void migrateFirst(SqliteDatabase db, Path scripts) {
        Migrator.create(db.config(scripts, "earlier-deploy")
                        .target(MigrationVersion.parse("001"))
                        .build())
                .migrate();
    }

    private List<String> command(TestDatabase db, Path scripts, String owner) {
        List<String> command = new ArrayList<>(List.of("migrate", "--quiet"));
        command.addAll(db.commandOptions(dir));
        command.addAll(List.of("--migrations", scripts.toString(), "--owner", owner));
        return command;
    }

    // Polls until the worker holds the lock (it is then inside the backfill), boundedly.
    private static void awaitLockHeld(TestDatabase db, WorkerProcess worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!db.lockHeld()) {
            assertTrue(
                    worker.process().isAlive(), () -> "the worker ended before it took the lock: " + worker.stderr());
            assertTrue(System.nanoTime() < deadline, "the worker never took the lock");
            worker.process().waitFor(2, TimeUnit.MILLISECONDS);
        }
    }

    // Polls until one of the workers holds the lock, or one has finished (on a loaded machine a
    // poll can miss the whole backfill: the herd then moves on and the signals come late), boundedly.
    private static void awaitLockHeld(TestDatabase db, List<WorkerProcess> workers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!db.lockHeld()) {
            for (WorkerProcess worker : workers) {
                if (!worker.process().isAlive()) {
                    assertEquals(0, worker.process().exitValue(), worker::stderr);
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no worker took the lock");
            workers.get(0).process().waitFor(2, TimeUnit.MILLISECONDS);
        }
    }

    private static void assertRerunCompletesOnce(SqliteDatabase db, Path scripts, boolean migrated) throws Exception {
        MigrateResult rerun =
                Migrator.create(db.config(scripts, "rerun").build()).migrate();
        assertEquals(migrated ? 0 : 2, rerun.applied().size());
        assertEquals(List.of("001", "002", "003"), db.appliedVersions());
        assertEquals(BACKFILL_ROWS, db.count("SELECT count(*) FROM big"));
        db.assertIntact();
    }
}

package org.lockstep.tests.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * A full disk, swept across a deploy's growth: the command runs in a child process under a
 * file-size limit ({@code prlimit --fsize}, which is what a full disk is to the process: the
 * write that would grow the file fails), at ten limits from the database's size before the deploy
 * (the WAL file's room, in WAL mode) to just short of the deploy's whole growth, so that the
 * write fails in the journal, in the middle of the backfill, or building the index. At each:
 * exit code 6 and a message that says the disk (here, the limit) is full, that the deploy was
 * rolled back and at which version the database is; no hot journal left; the file passes
 * {@code integrity_check} and is at its previous version (byte for byte in DELETE mode,
 * logically in WAL mode, whose WAL keeps the uncommitted frames); and a rerun with room applies
 * the deploy exactly once. Three of the ten limits run by default, all with
 * {@code -Dlockstep.faults.all=true}.
 */
@ParameterizedClass(name = "journal_mode={0}")
@ValueSource(strings = {"DELETE", "WAL"})
final class DiskFullIT {
    private static final int APP_ROWS = 3_000;
    private static final int BACKFILL_ROWS = 100_000;
    private static final int POINTS = 10;
    private static final int SAMPLED = 3;
    /** The least room in WAL mode: the shared-memory file's 32 KiB, and a little. */
    private static final long WAL_FLOOR = 64 * 1024;

    @Parameter
    String journalMode;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void deployThatFillsTheDiskIsRolledBackNamedAndCompletesOnceWithRoom() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_app.sql"),
                "CREATE TABLE app_data (id INTEGER PRIMARY KEY, note TEXT NOT NULL);\n"
                        + "INSERT INTO app_data (note) SELECT 'the application''s row ' || n FROM ("
                        + SqlDialect.SQLITE.numbers(APP_ROWS) + ");\n");
        Files.writeString(
                scripts.resolve("002_backfill.sql"),
                "CREATE TABLE big (x INTEGER NOT NULL, pad TEXT NOT NULL);\n"
                        + "INSERT INTO big SELECT n, 'padding of row ' || n FROM ("
                        + SqlDialect.SQLITE.numbers(BACKFILL_ROWS) + ");\n");
        Files.writeString(scripts.resolve("003_index.sql"), "CREATE INDEX big_by_x ON big (x, pad);\n");
        Files.writeString(scripts.resolve("004_after.sql"), "CREATE TABLE after_deploy (id INTEGER);\n");

        // The database at its previous version, all in its file (no WAL beside it).
        SqliteDatabase prior = SqliteDatabase.create(dir, "prior", journalMode);
        Migrator.create(prior.config(scripts, "earlier-deploy")
                        .target(MigrationVersion.parse("001"))
                        .build())
                .migrate();
        if (journalMode.equals("WAL")) {
            prior.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        byte[] priorBytes = Files.readAllBytes(prior.file());
        String priorDump = prior.dump();
        long base = priorBytes.length;

        // How much the deploy grows the file, measured on a copy.
        SqliteDatabase measured = copyOf(priorBytes, "measured");
        Migrator.create(measured.config(scripts, "measure").build()).migrate();
        long growth = Files.size(measured.file()) - base;
        assertTrue(growth > 1_000_000, "the deploy grows the file by " + growth + " bytes");

        long floor = journalMode.equals("WAL") ? WAL_FLOOR : base;
        List<Integer> points = points();
        List<String> jvm = new ArrayList<>(NativeSqlite.jvmOptions(dir.resolve("native")));
        jvm.add("-XX:-UsePerfData"); // no 32 KiB hsperfdata file to write under a small limit
        int survived = 0;
        long rowsLost = 0;
        for (int point : points) {
            long limit = floor + growth * point / POINTS;
            String context = journalMode + ", limit " + limit + " bytes (point " + point + " of " + POINTS + ")";
            SqliteDatabase trial = copyOf(priorBytes, "trial-" + point);

            List<String> command = new ArrayList<>(List.of("migrate"));
            command.addAll(trial.commandOptions(dir));
            command.addAll(List.of("--migrations", scripts.toString(), "--owner", "limited-" + point, "--quiet"));
            WorkerProcess child = WorkerProcess.start(
                    dir,
                    "trial-" + point,
                    command,
                    List.of(),
                    Files.createDirectories(dir.resolve("tmp-" + point)),
                    List.of("prlimit", "--fsize=" + limit, "--"),
                    jvm);
            child.awaitReady();
            child.release();
            int exit = child.awaitExit(180);
            String err = child.stderr();

            assertEquals(6, exit, () -> context + ": " + err);
            assertTrue(err.contains("cannot grow"), () -> context + ": " + err);
            assertTrue(
                    err.contains("file-size limit (ulimit -f) of [" + limit + " bytes]"), () -> context + ": " + err);
            assertTrue(
                    err.contains("The deploy was rolled back: nothing of it was committed; the database is at version"
                            + " [001]"),
                    () -> context + ": " + err);
            assertEquals(
                    1, err.lines().filter(line -> line.startsWith("lockstep")).count(), () -> context + err);
            // The child read the history back after its rollback, which rolls back a hot journal.
            assertFalse(Files.exists(Path.of(trial.file() + "-journal")), context + ": a hot journal was left");
            if (journalMode.equals("DELETE")) {
                assertArrayEquals(priorBytes, Files.readAllBytes(trial.file()), context + ": byte for byte");
            }
            trial.assertIntact();
            assertEquals(priorDump, trial.dump(), context);

            MigrateResult rerun =
                    Migrator.create(trial.config(scripts, "with-room").build()).migrate();
            assertEquals(3, rerun.applied().size(), context);
            assertEquals(List.of("001", "002", "003", "004"), trial.appliedVersions(), context);
            assertEquals(BACKFILL_ROWS, trial.count("SELECT count(*) FROM big"), context);
            trial.assertIntact();
            rowsLost += APP_ROWS - trial.count("SELECT count(*) FROM app_data");
            survived++;
        }
        assertEquals(0, rowsLost);
        FaultMatrix.report("disk full (file-size limit) mid-deploy, " + journalMode, points.size(), survived, rowsLost);
    }

    private SqliteDatabase copyOf(byte[] bytes, String name) throws Exception {
        Files.write(dir.resolve(name + ".db"), bytes);
        return SqliteDatabase.create(dir, name, journalMode);
    }

    // Which of the ten limits run: three at random by default, each from its own third.
    private List<Integer> points() {
        if (FaultMatrix.wholeSweep()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                all.add(i);
            }
            return all;
        }
        SplittableRandom random = new SplittableRandom(FaultMatrix.seed("DiskFullIT " + journalMode));
        TreeSet<Integer> chosen = new TreeSet<>();
        for (int third = 0; third < SAMPLED; third++) {
            int from = third * POINTS / SAMPLED;
            int to = (third + 1) * POINTS / SAMPLED;
            chosen.add(from + random.nextInt(to - from));
        }
        return List.copyOf(chosen);
    }
}

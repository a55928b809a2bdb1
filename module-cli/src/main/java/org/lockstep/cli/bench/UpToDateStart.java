package org.lockstep.cli.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.lockstep.LockstepException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Section 3: what {@code migrate()} costs when nothing is pending, in-process after warm-up
 * (each call reads and checksums the 50 scripts, opens a connection and reads the history),
 * and that it takes no write lock: the same calls while another connection holds
 * {@code BEGIN IMMEDIATE}, with a lock timeout of zero and one lock attempt allowed, so that
 * any attempt to take the lock would fail the call.
 */
final class UpToDateStart implements Section {
    private static final int WARM_UP_CALLS = 100;
    private static final int SQLITE_BUSY = 5;

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String title() {
        return "up-to-date start";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        Path scripts = bench.realisticScripts();
        int calls = bench.settings().upToDateCalls();
        List<Double> free = new ArrayList<>();
        List<Double> locked = new ArrayList<>();
        List<Double> refused = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        for (int run = 1; run <= bench.settings().runs(); run++) {
            bench.progress(
                    "up-to-date start: run " + run + "/" + bench.settings().runs());
            Path database = bench.freshDatabase();
            try {
                Migrator migrator = Migrator.create(
                        Workbench.config(database, scripts, "bench").build());
                BenchmarkFailure.check(
                        migrator.migrate().applied().size() == Workload.REALISTIC,
                        "The first migrate of [" + database + "] did not apply every migration");
                for (int i = 0; i < (run == 1 ? WARM_UP_CALLS : WARM_UP_CALLS / 10); i++) {
                    migrator.migrate();
                }
                for (int i = 0; i < calls; i++) {
                    long start = System.nanoTime();
                    MigrateResult result = migrator.migrate();
                    free.add(Figures.millis(System.nanoTime() - start));
                    BenchmarkFailure.check(
                            result.wasUpToDate() && result.lockAttempts() == 0,
                            "migrate() on up-to-date [" + database + "] was not a no-op: " + result);
                }
                for (int i = 0; i < calls; i++) {
                    floor.add(readHistory(database));
                }
                refused.add((double) underHeldLock(database, scripts, calls, locked));
            } finally {
                bench.discard(database);
            }
        }
        int total = calls * bench.settings().runs();
        return List.of(
                Result.of(
                        3,
                        "migrate() on an up-to-date db, per call",
                        "ms",
                        Summary.of(free),
                        true,
                        Target.medianBelow(2),
                        total + " calls after warm-up; includes loading the 50 scripts"),
                Result.of(
                        3,
                        "floor: plain JDBC open + read the history, per call",
                        "ms",
                        Summary.of(floor),
                        true,
                        "what any up-to-date check costs; the rest of the line above is loading the scripts"),
                Result.of(
                        3,
                        "same, while another connection holds BEGIN IMMEDIATE",
                        "ms",
                        Summary.of(locked),
                        true,
                        "lock timeout 0 and 1 lock attempt allowed: a call that tried the lock would fail"),
                Result.of(
                        3,
                        "calls that failed or tried the lock, per run",
                        "calls",
                        Summary.of(refused),
                        false,
                        Target.none("0: no write lock"),
                        (total - sum(refused)) + "/" + total + " succeeded, up to date, with lockAttempts == 0"));
    }

    // Returns how many calls failed or tried the lock while another connection held it.
    private static int underHeldLock(Path database, Path scripts, int calls, List<Double> times) throws SQLException {
        Migrator migrator = Migrator.create(Workbench.config(database, scripts, "bench")
                .lockTimeout(Duration.ZERO)
                .maxLockAttempts(1)
                .build());
        try (Connection holder = Workbench.open(database);
                Statement statement = holder.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                BenchmarkFailure.check(!writable(database), "The holder of [" + database + "] does not hold the lock");
                int refused = 0;
                for (int i = 0; i < calls; i++) {
                    long start = System.nanoTime();
                    try {
                        MigrateResult result = migrator.migrate();
                        times.add(Figures.millis(System.nanoTime() - start));
                        if (!result.wasUpToDate() || result.lockAttempts() != 0) {
                            refused++;
                        }
                    } catch (LockstepException e) {
                        refused++;
                    }
                }
                return refused;
            } finally {
                statement.execute("ROLLBACK");
            }
        }
    }

    // The database work of an up-to-date migrate(), with plain JDBC: milliseconds.
    private static double readHistory(Path database) throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = Workbench.open(database);
                Statement statement = connection.createStatement()) {
            statement.execute("BEGIN DEFERRED");
            try (ResultSet tables = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (tables.next()) {
                    tables.getString(1);
                }
            }
            int rows = 0;
            try (ResultSet history = statement.executeQuery("SELECT * FROM " + MigrationConfig.DEFAULT_HISTORY_TABLE)) {
                while (history.next()) {
                    history.getString(1);
                    rows++;
                }
            }
            statement.execute("COMMIT");
            BenchmarkFailure.check(
                    rows == Workload.REALISTIC, "The history of [" + database + "] has [" + rows + "] rows");
        }
        return Figures.millis(System.nanoTime() - start);
    }

    // Whether another connection can take the write lock at once (busy timeout 0).
    private static boolean writable(Path database) throws SQLException {
        try (Connection probe = Workbench.open(database);
                Statement statement = probe.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("ROLLBACK");
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == SQLITE_BUSY) {
                return false;
            }
            throw e;
        }
    }

    private static int sum(List<Double> values) {
        return (int) values.stream().mapToDouble(Double::doubleValue).sum();
    }
}

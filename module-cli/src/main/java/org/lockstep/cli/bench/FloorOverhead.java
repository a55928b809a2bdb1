package org.lockstep.cli.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.lockstep.Migrator;

/**
 * Section 5: one worker applies the 50 realistic scripts to a fresh database through
 * Lockstep, against the floor: the same statements, read from the same files, executed by
 * plain JDBC in one {@code BEGIN IMMEDIATE} transaction with no history, no validation and
 * no checks. A third variant adds to the floor the foreign-key checks Lockstep makes (a
 * {@code PRAGMA foreign_key_check} before the first script and after each), to show how
 * much of the difference is that safety check rather than bookkeeping. The variants take
 * turns, and which goes first rotates, so that drift in the machine's speed lands on all.
 */
final class FloorOverhead implements Section {
    private static final int WARM_UP_ROUNDS = 3;

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String title() {
        return "overhead against the floor";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        Path scripts = bench.realisticScripts();
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            lockstep(bench, scripts);
            floor(bench, scripts, false);
            floor(bench, scripts, true);
        }
        List<Double> lockstep = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> checked = new ArrayList<>();
        for (int run = 1; run <= bench.settings().runs(); run++) {
            bench.progress("overhead against the floor: run " + run + "/"
                    + bench.settings().runs());
            for (int turn = 0; turn < 3; turn++) {
                switch ((run + turn) % 3) {
                    case 0:
                        lockstep.add(lockstep(bench, scripts));
                        break;
                    case 1:
                        floor.add(floor(bench, scripts, false));
                        break;
                    default:
                        checked.add(floor(bench, scripts, true));
                        break;
                }
            }
        }
        return List.of(
                Result.of(
                        5,
                        "Lockstep, 1 worker, fresh db, 50 migrations",
                        "ms",
                        Summary.of(lockstep),
                        false,
                        "load, checksum, split, validate, history, foreign-key checks, commit"),
                Result.of(
                        5,
                        "floor: same statements, plain JDBC, 1 transaction",
                        "ms",
                        Summary.of(floor),
                        false,
                        "read the files, split by line, BEGIN IMMEDIATE, execute, COMMIT"),
                Result.of(
                        5,
                        "floor + Lockstep's foreign-key checks",
                        "ms",
                        Summary.of(checked),
                        false,
                        "the floor, with PRAGMA foreign_key_check before the first script and after each"),
                Result.of(
                        5,
                        "ratio Lockstep / floor",
                        "x",
                        Summary.of(ThreadHerd.ratios(lockstep, floor)),
                        false,
                        Target.medianBelow(1.10),
                        "per-run ratios of adjacent measurements"),
                Result.of(
                        5,
                        "ratio Lockstep / (floor + foreign-key checks)",
                        "x",
                        Summary.of(ThreadHerd.ratios(lockstep, checked)),
                        false,
                        "what the history, validation and protocol cost beyond the checks"));
    }

    private static double lockstep(Workbench bench, Path scripts) throws Exception {
        Path database = bench.freshDatabase();
        try {
            Migrator migrator =
                    Migrator.create(Workbench.config(database, scripts, "bench").build());
            long start = System.nanoTime();
            int applied = migrator.migrate().applied().size();
            double elapsed = Figures.millis(System.nanoTime() - start);
            BenchmarkFailure.check(
                    applied == Workload.REALISTIC,
                    "Lockstep applied [" + applied + "] of [" + Workload.REALISTIC + "] migrations to [" + database
                            + "]");
            return elapsed;
        } finally {
            bench.discard(database);
        }
    }

    private static double floor(Workbench bench, Path scripts, boolean foreignKeyChecks) throws Exception {
        Path database = bench.freshDatabase();
        try {
            long start = System.nanoTime();
            try (Connection connection = Workbench.open(database);
                    Statement statement = connection.createStatement()) {
                List<List<String>> statements = Workload.statements(scripts);
                statement.execute("BEGIN IMMEDIATE");
                if (foreignKeyChecks) {
                    foreignKeyCheck(statement);
                }
                for (List<String> script : statements) {
                    for (String sql : script) {
                        statement.execute(sql);
                    }
                    if (foreignKeyChecks) {
                        foreignKeyCheck(statement);
                    }
                }
                statement.execute("COMMIT");
            }
            return Figures.millis(System.nanoTime() - start);
        } finally {
            bench.discard(database);
        }
    }

    private static void foreignKeyCheck(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
            if (rs.next()) {
                throw new BenchmarkFailure("The realistic scripts left a row without its parent: table ["
                        + rs.getString(1) + "] row [" + rs.getString(2) + "]");
            }
        }
    }
}

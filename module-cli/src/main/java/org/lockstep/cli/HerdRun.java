package org.lockstep.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * What {@code demo} and {@code stress} share: run a {@link Herd} of workers against one
 * database, run one more worker if any was killed, then check what the database says: each
 * script's version is in the history exactly once, every worker that was not killed exited 0,
 * and SQLite's integrity check passes. Renders the report as text or JSON.
 *
 * @param database the database file
 * @param scripts where the scripts are, for the check
 * @param scriptOptions the worker's options that name the same scripts
 * @param workerOptions more options every worker gets (lock timeout, history table, ...)
 * @param historyTable the history table's name
 * @param workers how many workers
 * @param killRate the chance that a worker is killed
 * @param seed the seed of the random source that picks the killed workers
 * @param deadline how long the workers may run
 */
record HerdRun(
        Path database,
        MigrationLocation scripts,
        List<String> scriptOptions,
        List<String> workerOptions,
        String historyTable,
        int workers,
        double killRate,
        long seed,
        Duration deadline) {

    /** One invariant and whether it held. */
    record Check(String description, boolean passed) {}

    /**
     * What a run found.
     *
     * @param outcomes how each worker of the herd ended
     * @param finisher the worker run after the herd because some were killed, if any
     * @param migrations every migration's state afterwards
     * @param checks the invariants
     * @param total how long it all took
     */
    record Result(
            List<Herd.Outcome> outcomes,
            Optional<Herd.Outcome> finisher,
            List<MigrationInfo> migrations,
            List<Check> checks,
            Duration total) {
        boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }
    }

    /** A run with the options every herd takes from the command line: lock timeout, history table, per migration. */
    static HerdRun of(
            Options options,
            Path database,
            MigrationLocation scripts,
            List<String> scriptOptions,
            int workers,
            double killRate,
            long seed)
            throws UsageException {
        List<String> passed = new ArrayList<>();
        Duration lockTimeout = MigrationConfig.DEFAULT_LOCK_TIMEOUT;
        if (options.get(Options.LOCK_TIMEOUT).isPresent()) {
            lockTimeout = Durations.parse(
                    Options.LOCK_TIMEOUT.name(),
                    options.get(Options.LOCK_TIMEOUT).get());
            passed.addAll(List.of(
                    Options.LOCK_TIMEOUT.name(),
                    options.get(Options.LOCK_TIMEOUT).get()));
        }
        String table = options.get(Options.HISTORY_TABLE).orElse(MigrationConfig.DEFAULT_HISTORY_TABLE);
        if (options.has(Options.HISTORY_TABLE)) {
            passed.addAll(List.of(Options.HISTORY_TABLE.name(), table));
        }
        if (options.has(Options.PER_MIGRATION)) {
            passed.add(Options.PER_MIGRATION.name());
        }
        // Every worker may wait the whole lock timeout, then needs time to migrate.
        Duration deadline = lockTimeout.plus(Duration.ofMinutes(5));
        return new HerdRun(database, scripts, scriptOptions, passed, table, workers, killRate, seed, deadline);
    }

    /** Runs the herd and prints the report as the options ask; fails with CHECK_FAILED if a check failed. */
    ExitCode runAndReport(Options options, PrintWriter out, PrintWriter err) {
        Result result = execute();
        if (options.has(Options.JSON)) {
            out.println(json(result));
        } else if (!options.has(Options.QUIET) || !result.passed()) {
            (options.has(Options.QUIET) ? err : out).print(text(result));
        }
        if (result.passed()) {
            return ExitCode.OK;
        }
        for (Herd.Outcome outcome : result.outcomes()) {
            if (!outcome.killed()
                    && outcome.exitCode() != 0
                    && !outcome.stderr().isBlank()) {
                err.println("lockstep: " + outcome.owner() + " printed:");
                err.println(outcome.stderr().strip().indent(2).stripTrailing());
            }
        }
        return ExitCode.CHECK_FAILED;
    }

    /** Returns the options of the hidden worker command for a worker's name. */
    List<String> workerArguments(String owner) {
        List<String> arguments = new ArrayList<>(List.of("--database", database.toString(), "--owner", owner));
        arguments.addAll(scriptOptions);
        arguments.addAll(workerOptions);
        return arguments;
    }

    Result execute() {
        long start = System.nanoTime();
        List<String> owners =
                IntStream.rangeClosed(1, workers).mapToObj(i -> "worker-" + i).toList();
        List<Herd.Outcome> outcomes = Herd.run(owners, this::workerArguments, killRate, new Random(seed), deadline);
        Optional<Herd.Outcome> finisher = Optional.empty();
        if (outcomes.stream().anyMatch(Herd.Outcome::killed)) {
            finisher = Optional.of(Herd.run(List.of("finisher"), this::workerArguments, 0, new Random(seed), deadline)
                    .get(0));
        }
        List<MigrationInfo> migrations = Migrator.create(MigrationConfig.builder()
                        .url(readOnlyUrl())
                        .location(scripts)
                        .historyTable(historyTable)
                        .build())
                .status();
        List<Check> checks = List.of(exactlyOnce(migrations), exited(outcomes, finisher), integrity());
        return new Result(outcomes, finisher, migrations, checks, Duration.ofNanos(System.nanoTime() - start));
    }

    private String readOnlyUrl() {
        return "jdbc:sqlite:file:" + database + "?mode=ro";
    }

    private Check exactlyOnce(List<MigrationInfo> migrations) {
        List<String> problems = new ArrayList<>();
        Set<MigrationVersion> seen = new HashSet<>();
        Set<String> twice = new TreeSet<>();
        for (String version : query("SELECT version FROM \"" + historyTable + "\"")) {
            if (!seen.add(MigrationVersion.parse(version))) {
                twice.add(version);
            }
        }
        if (!twice.isEmpty()) {
            problems.add("in the history more than once: " + twice);
        }
        List<String> notApplied = migrations.stream()
                .filter(info -> info.state() != MigrationState.APPLIED)
                .map(info -> info.name() + " " + info.state())
                .toList();
        if (!notApplied.isEmpty()) {
            problems.add("not applied as scripted: " + notApplied);
        }
        String each = "each of the " + migrations.size() + " versions is in the history exactly once";
        return new Check(problems.isEmpty() ? each : each + ": " + String.join("; ", problems), problems.isEmpty());
    }

    private static Check exited(List<Herd.Outcome> outcomes, Optional<Herd.Outcome> finisher) {
        long killed = outcomes.stream().filter(Herd.Outcome::killed).count();
        List<Herd.Outcome> ran =
                outcomes.stream().filter(outcome -> !outcome.killed()).toList();
        long ok = ran.stream().filter(outcome -> outcome.exitCode() == 0).count();
        String description = killed == 0
                ? String.format("every worker exited 0 (%d of %d)", ok, ran.size())
                : String.format(
                        "every worker not killed exited 0 (%d of %d; %d killed), and so did the finisher",
                        ok, ran.size(), killed);
        boolean passed = ok == ran.size()
                && finisher.map(outcome -> outcome.exitCode() == 0).orElse(true);
        return new Check(description, passed);
    }

    private Check integrity() {
        List<String> result = query("PRAGMA integrity_check");
        return new Check("integrity check: " + String.join("; ", result), result.equals(List.of("ok")));
    }

    private List<String> query(String sql) {
        // The verification only reads: SQLite's own read-only open, through plain JDBC.
        try (Connection connection = DriverManager.getConnection(readOnlyUrl());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            return List.of("(failed: " + e.getMessage() + ")");
        }
    }

    String text(Result result) {
        StringBuilder text = new StringBuilder("\nMigrations\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Version", "Description", "Applied by", "Took"});
        for (MigrationInfo info : result.migrations()) {
            rows.add(new String[] {
                info.name(),
                info.description(),
                info.applied().map(AppliedMigration::appliedBy).orElse("(" + info.state() + ")"),
                info.applied().map(applied -> millis(applied.executionTime())).orElse("")
            });
        }
        text.append(Reports.table(rows, "  ")).append("\nWorkers\n");
        for (Herd.Outcome outcome : result.outcomes()) {
            text.append(workerLine(outcome));
        }
        result.finisher().ifPresent(outcome -> text.append(workerLine(outcome)));
        text.append("\nVerification\n");
        for (Check check : result.checks()) {
            text.append(String.format("  %-4s  %s%n", check.passed() ? "ok" : "FAIL", check.description()));
        }
        text.append(String.format(
                Locale.ROOT, "  total time %.2f s%n", result.total().toMillis() / 1000.0));
        return text.toString();
    }

    private static String workerLine(Herd.Outcome outcome) {
        String did;
        if (outcome.killed()) {
            did = "killed with SIGKILL while it ran";
        } else if (outcome.hung()) {
            did = "hung; killed at the deadline";
        } else if (outcome.report().isEmpty()) {
            did = "failed: " + lastLine(outcome.stderr());
        } else {
            WorkerReport report = outcome.report().get();
            String work = report.applied() > 0
                    ? "applied " + report.applied()
                    : report.appliedByOthers() > 0
                            ? "found " + report.appliedByOthers() + " applied by others"
                            : "found the database up to date";
            if (report.applied() > 0 && report.appliedByOthers() > 0) {
                work += ", found " + report.appliedByOthers() + " applied by others";
            }
            did = work
                    + (report.lockWaitMillis() > 0
                            ? String.format(
                                    "; waited %s for the lock (%d attempts)",
                                    millis(Duration.ofMillis(report.lockWaitMillis())), report.lockAttempts())
                            : "; did not wait");
        }
        return String.format("  %-9s %s; exit %d%n", outcome.owner(), did, outcome.exitCode());
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    String json(Result result) {
        List<String> workerItems =
                result.outcomes().stream().map(HerdRun::workerJson).toList();
        List<String> migrationItems = result.migrations().stream()
                .map(info -> "{\"version\":"
                        + Json.string(info.name())
                        + ",\"description\":" + Json.string(info.description())
                        + ",\"state\":" + Json.string(info.state().name())
                        + ",\"appliedBy\":"
                        + Json.string(
                                info.applied().map(AppliedMigration::appliedBy).orElse(null))
                        + ",\"executionMillis\":"
                        + info.applied()
                                .map(a -> Long.toString(a.executionTime().toMillis()))
                                .orElse("null") + "}")
                .toList();
        List<String> checkItems = result.checks().stream()
                .map(check -> "{\"check\":" + Json.string(check.description()) + ",\"passed\":" + check.passed() + "}")
                .toList();
        return "{\"database\":" + Json.string(database.toString())
                + ",\"workers\":[" + String.join(",", workerItems) + "]"
                + ",\"finisher\":" + result.finisher().map(HerdRun::workerJson).orElse("null")
                + ",\"migrations\":[" + String.join(",", migrationItems) + "]"
                + ",\"checks\":[" + String.join(",", checkItems) + "]"
                + ",\"seed\":" + seed
                + ",\"totalMillis\":" + result.total().toMillis()
                + ",\"passed\":" + result.passed() + "}";
    }

    private static String workerJson(Herd.Outcome outcome) {
        Optional<WorkerReport> report = outcome.report();
        return "{\"owner\":" + Json.string(outcome.owner())
                + ",\"exitCode\":" + outcome.exitCode()
                + ",\"killed\":" + outcome.killed()
                + ",\"hung\":" + outcome.hung()
                + ",\"applied\":"
                + report.map(r -> Integer.toString(r.applied())).orElse("null")
                + ",\"appliedByOthers\":"
                + report.map(r -> Integer.toString(r.appliedByOthers())).orElse("null")
                + ",\"lockWaitMillis\":"
                + report.map(r -> Long.toString(r.lockWaitMillis())).orElse("null")
                + ",\"lockAttempts\":"
                + report.map(r -> Integer.toString(r.lockAttempts())).orElse("null") + "}";
    }
}

package org.lockstep.internal.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.lockstep.DatabaseException;
import org.lockstep.DriftReport;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.ValidationFailedException;
import org.lockstep.ValidationProblem;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Plan;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.sql.SqlStatement;

/**
 * Drift: replays the scripts a SQLite database's history says were applied, in the order they
 * were applied, into a scratch database, and compares the result with the live database's
 * schema ({@link SchemaComparison}).
 *
 * <p>Read-only, and without the write lock: the live schema is read in one read transaction on
 * a connection set to {@code query_only}, so the application keeps serving. A migration that
 * commits between reading the history and reading the schema would make its own changes look
 * like drift, so the history is read again after the schema, and the comparison is made only
 * when both reads saw the same history (tried three times).
 */
public final class DriftCheck {
    private static final int ATTEMPTS = 3;
    private static final Duration READ_BOUND = Duration.ofSeconds(5);

    private DriftCheck() {}

    /**
     * What drift needs of the Migrator.
     *
     * @param scripts the scripts, in version order
     * @param history reads the committed history, bounded, creating nothing
     * @param database the live database: whether it exists, what its errors mean, its name
     * @param source where connections to it come from
     * @param historyTable the history table, left out of the comparison
     * @param lockTimeout the lock timeout; the schema read waits for a writer's lock at most 5
     *     seconds, or this if it is shorter, as the history read does
     */
    public record Inputs(
            List<MigrationScript> scripts,
            Supplier<HistorySnapshot> history,
            Database database,
            ConnectionSource source,
            String historyTable,
            Duration lockTimeout) {
        Duration readBound() {
            return lockTimeout.compareTo(READ_BOUND) < 0 ? lockTimeout : READ_BOUND;
        }
    }

    /**
     * Checks the live database against its history.
     *
     * @param inputs what to check
     * @return the differences
     * @throws ValidationFailedException if an applied version's script is missing or was edited
     * @throws InvalidScriptException if an applied script fails when replayed
     * @throws DatabaseException if the live database cannot be read
     */
    public static DriftReport check(Inputs inputs) {
        for (int attempt = 1; ; attempt++) {
            HistorySnapshot history = inputs.history().get();
            List<MigrationScript> applied = applied(inputs.scripts(), history);
            Schema expected = replay(applied, inputs.historyTable());
            Schema actual = inputs.database().isAbsent() ? Schema.EMPTY : live(inputs);
            HistorySnapshot again = inputs.history().get();
            if (same(history, again) || attempt == ATTEMPTS) {
                return new DriftReport(
                        inputs.database().describe(),
                        applied.stream()
                                .filter(script -> !script.repeatable())
                                .map(MigrationScript::version)
                                .toList(),
                        SchemaComparison.differences(expected, actual));
            }
        }
    }

    private static boolean same(HistorySnapshot a, HistorySnapshot b) {
        Function<HistorySnapshot, Set<String>> rows = h -> h.rows().stream()
                .map(r -> r.version() + "\u0000" + r.description() + "\u0000" + r.checksum() + "\u0000" + r.rank())
                .collect(java.util.stream.Collectors.toSet());
        return rows.apply(a).equals(rows.apply(b));
    }

    // The applied scripts in the order they were applied; refused if one cannot be replayed faithfully.
    private static List<MigrationScript> applied(List<MigrationScript> scripts, HistorySnapshot history) {
        Plan plan = Plan.of(scripts, history, true);
        List<ValidationProblem> problems = new ArrayList<>();
        for (ValidationProblem problem : plan.problems(true)) {
            if (problem.kind() != MigrationState.OUT_OF_ORDER) {
                problems.add(new ValidationProblem(
                        problem.kind(),
                        problem.version(),
                        problem.script(),
                        problem.message() + "; drift replays the applied scripts as they were applied, so it needs"
                                + " each one unchanged"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationFailedException(problems);
        }
        Map<MigrationVersion, MigrationScript> byVersion = new java.util.HashMap<>();
        Map<String, MigrationScript> repeatable = new java.util.HashMap<>();
        for (MigrationScript script : scripts) {
            if (script.repeatable()) {
                repeatable.put(script.description(), script);
            } else {
                byVersion.put(script.version(), script);
            }
        }
        List<HistoryRow> rows = new ArrayList<>(history.rows());
        // Format 2 ranks every application; format 1 (versioned scripts only) by time, then version.
        rows.sort(
                rows.stream().allMatch(row -> row.rank() > 0)
                        ? Comparator.comparingLong(HistoryRow::rank)
                        : Comparator.comparing(HistoryRow::appliedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                                .thenComparing(HistoryRow::version, Comparator.nullsLast(Comparator.naturalOrder())));
        List<MigrationScript> applied = new ArrayList<>();
        for (HistoryRow row : rows) {
            if (row.type() == HistoryRow.Type.JAVA) {
                throw new DatabaseException(
                        DatabaseException.Reason.UNSUPPORTED,
                        "Drift cannot replay Java migration [" + row.version() + "] ([" + row.script()
                                + "]): it replays scripts into a scratch database",
                        null);
            }
            if (!row.repeatable()) {
                applied.add(byVersion.get(row.version()));
                continue;
            }
            // A repeatable script's earlier applications were replaced by its latest, which is
            // what the file holds unless it was edited since (then there is nothing to replay).
            if (!row.equals(plan.repeatables().get(row.description()))) {
                continue;
            }
            MigrationScript script = repeatable.get(row.description());
            if (!script.checksum().equals(row.checksum())) {
                throw new ValidationFailedException(List.of(new ValidationProblem(
                        MigrationState.OUTDATED,
                        java.util.Optional.empty(),
                        script.fileName(),
                        "Repeatable migration [" + row.description() + "] in [" + script.fileName()
                                + "] was edited after it was last applied; drift replays the applied scripts as"
                                + " they were applied, so deploy it first")));
            }
            applied.add(script);
        }
        return applied;
    }

    private static Schema replay(List<MigrationScript> applied, String historyTable) {
        try (ScratchDatabase scratch = ScratchDatabase.open("Drift")) {
            for (MigrationScript script : applied) {
                for (SqlStatement statement : script.statements()) {
                    try {
                        scratch.run(statement.sql());
                    } catch (SQLException e) {
                        throw new InvalidScriptException(
                                script.source(),
                                "Script [" + script.source() + "] line [" + statement.line() + "] fails when replayed"
                                        + " into an empty in-memory database, so drift cannot tell what the applied"
                                        + " scripts make: " + e.getMessage(),
                                e);
                    }
                }
            }
            return new SchemaReader(scratch.connection(), Set.of(historyTable)).read();
        } catch (SQLException e) {
            throw new DatabaseException(
                    DatabaseException.Reason.OTHER,
                    "Drift failed reading its in-memory SQLite database: " + e.getMessage(),
                    e);
        }
    }

    // One read transaction on a query_only connection; the connection's settings are put back.
    private static Schema live(Inputs inputs) {
        try (Connection connection = inputs.source().open()) {
            boolean autoCommit = connection.getAutoCommit();
            String queryOnly = pragma(connection, "query_only");
            String busyTimeout = pragma(connection, "busy_timeout");
            try {
                if (!autoCommit) {
                    connection.setAutoCommit(true);
                }
                run(connection, "PRAGMA query_only = 1");
                run(connection, "PRAGMA busy_timeout = " + inputs.readBound().toMillis());
                run(connection, "BEGIN DEFERRED");
                try {
                    return new SchemaReader(connection, Set.of(inputs.historyTable())).read();
                } finally {
                    run(connection, "ROLLBACK");
                }
            } finally {
                run(connection, "PRAGMA query_only = " + queryOnly);
                run(connection, "PRAGMA busy_timeout = " + busyTimeout);
                if (!autoCommit) {
                    connection.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            throw inputs.database().translate(e, "reading its schema for drift");
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "0";
        }
    }

    private static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

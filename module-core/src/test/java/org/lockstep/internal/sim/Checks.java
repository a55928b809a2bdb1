package org.lockstep.internal.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lockstep.AppliedMigration;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationFailedException;
import org.lockstep.ValidationFailedException;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.script.MigrationScript;

/** The assertions the properties share; each throws {@link PropertyViolation}. */
final class Checks {
    private Checks() {}

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new PropertyViolation(message);
        }
    }

    /**
     * Exactly once: the final state equals applying every pending migration in order, once,
     * each repeatable one included; and the history table is of the format that run leaves.
     */
    static void finalStateIsEveryScriptOnce(Simulation.Outcome outcome) {
        SimDatabase.State expected = outcome.after(outcome.pending().size());
        require(
                outcome.committed().effects().equals(expected.effects()),
                "exactly once: effects " + outcome.committed().effects() + ", expected " + expected.effects());
        require(
                versions(outcome.committed().history()).equals(versions(expected.history())),
                "exactly once: history " + versions(outcome.committed().history()) + ", expected "
                        + versions(expected.history()));
        require(
                outcome.committed().format() == expected.format(),
                "history table of format " + outcome.committed().format() + ", expected " + expected.format());
    }

    /**
     * Once per change: each repeatable script the workers have was applied by this deploy
     * exactly once if it was new or changed (one new history row with its checksum, one effect
     * of its text), and not at all otherwise.
     */
    static void repeatablesAppliedOncePerChange(Simulation.Outcome outcome) {
        List<HistoryRow> added = outcome.committed()
                .history()
                .subList(
                        outcome.initial().history().size(),
                        outcome.committed().history().size());
        for (MigrationScript script : outcome.scripts()) {
            if (!script.repeatable()) {
                continue;
            }
            boolean changed = outcome.pending().contains(script);
            long rows = added.stream()
                    .filter(row -> row.repeatable() && row.description().equals(script.description()))
                    .count();
            long current = added.stream()
                    .filter(row -> row.repeatable()
                            && row.description().equals(script.description())
                            && row.checksum().equals(script.checksum()))
                    .count();
            String effect = effectOf(script);
            long applications = outcome.committed().effects().stream()
                            .filter(effect::equals)
                            .count()
                    - outcome.initial().effects().stream()
                            .filter(effect::equals)
                            .count();
            require(
                    rows == (changed ? 1 : 0) && current == rows && applications == rows,
                    "once per change: " + script.fileName() + (changed ? " (new or changed)" : " (unchanged)")
                            + " has " + rows + " new history rows (" + current + " of its checksum) and was applied "
                            + applications + " times by this deploy");
        }
    }

    private static String effectOf(MigrationScript script) {
        java.util.regex.Matcher m =
                SimDatabase.EFFECT.matcher(script.statements().get(0).sql());
        require(m.matches(), "not an effect: " + script.statements().get(0).sql());
        return m.group(1);
    }

    /** All succeed, and every report agrees with the history. */
    static void everySurvivorSucceededConsistently(Simulation.Outcome outcome) {
        // Later rows of a repeatable migration replace earlier ones: the latest says who applied it.
        Map<String, String> appliedBy = new HashMap<>();
        for (HistoryRow row : outcome.committed().history()) {
            appliedBy.put(row.toApplied().name(), row.appliedBy());
        }
        Map<String, String> reporter = new HashMap<>();
        for (Scheduler.Worker worker : outcome.workers()) {
            if (worker.dead) {
                continue;
            }
            require(worker.failure == null, "all succeed: " + owner(worker) + " failed: " + worker.failure);
            MigrateResult result = (MigrateResult) worker.result;
            long ran = worker.finishedAtMillis - worker.startedAtMillis;
            require(
                    !result.lockWait().isNegative() && result.lockWait().toMillis() <= ran + 1,
                    "report: " + owner(worker) + " waited " + result.lockWait() + " in a call of " + ran + " ms");
            require(
                    result.lockAttempts() == 0
                            || !result.applied().isEmpty()
                            || !result.appliedByOthers().isEmpty(),
                    "report: " + owner(worker) + " tried the lock " + result.lockAttempts() + " times, so something"
                            + " was pending when it started, yet it reports nothing applied by anyone");
            require(
                    sorted(result.applied()) && sorted(result.appliedByOthers()),
                    "report: " + owner(worker) + " lists migrations out of version order");
            for (AppliedMigration applied : result.applied()) {
                String version = applied.name();
                require(
                        !applied.executionTime().isNegative()
                                && applied.executionTime().toMillis() <= ran + 1,
                        "report: " + version + " took " + applied.executionTime() + " in a call of " + ran + " ms");
                require(
                        reporter.put(version, owner(worker)) == null,
                        "report: " + version + " reported applied by two workers");
                require(
                        owner(worker).equals(appliedBy.get(version)),
                        "report: " + owner(worker) + " says it applied " + version + " but history says "
                                + appliedBy.get(version));
            }
            for (AppliedMigration other : result.appliedByOthers()) {
                String version = other.name();
                require(
                        other.appliedBy().equals(appliedBy.get(version))
                                && !other.appliedBy().equals(owner(worker)),
                        "report: " + owner(worker) + " names " + other.appliedBy() + " for " + version
                                + " but history says " + appliedBy.get(version));
                require(
                        !"deploy-0".equals(other.appliedBy()),
                        "report: " + owner(worker) + " reports " + version + ", applied before it started, as raced");
            }
        }
    }

    /** Every surviving worker failed with the given kind of exception. */
    static void everySurvivorFailedWith(Simulation.Outcome outcome, Class<? extends Throwable> kind) {
        for (Scheduler.Worker worker : outcome.workers()) {
            if (!worker.dead) {
                require(
                        kind.isInstance(worker.failure),
                        owner(worker) + " should fail with " + kind.getSimpleName() + " but "
                                + (worker.failure == null ? "succeeded" : "threw " + worker.failure));
            }
        }
    }

    static void stateIs(Simulation.Outcome outcome, SimDatabase.State expected, String what) {
        require(
                outcome.committed().effects().equals(expected.effects())
                        && versions(outcome.committed().history()).equals(versions(expected.history())),
                what + ": state " + versions(outcome.committed().history()) + " "
                        + outcome.committed().effects() + ", expected " + versions(expected.history()) + " "
                        + expected.effects());
    }

    /** The state is the initial one with the first k pending migrations applied, each whole, for some k. */
    static void stateIsAPrefix(Simulation.Outcome outcome, String what) {
        for (int k = 0; k <= outcome.pending().size(); k++) {
            SimDatabase.State expected = outcome.after(k);
            if (outcome.committed().effects().equals(expected.effects())
                    && versions(outcome.committed().history()).equals(versions(expected.history()))) {
                return;
            }
        }
        require(
                false,
                what + ": state " + versions(outcome.committed().history()) + " "
                        + outcome.committed().effects() + " is not the initial state with a prefix of the pending"
                        + " migrations applied");
    }

    // Versions in order, then repeatable migrations by description; none twice.
    private static boolean sorted(List<AppliedMigration> migrations) {
        for (int i = 1; i < migrations.size(); i++) {
            AppliedMigration before = migrations.get(i - 1);
            AppliedMigration after = migrations.get(i);
            boolean inOrder = before.version().isPresent() && after.version().isPresent()
                    ? before.version().get().compareTo(after.version().get()) < 0
                    : before.version().isPresent()
                            || (after.version().isEmpty()
                                    && before.description().compareTo(after.description()) < 0);
            if (!inOrder) {
                return false;
            }
        }
        return true;
    }

    static String owner(Scheduler.Worker worker) {
        return worker.name + (worker.incarnation == 0 ? "" : "#" + worker.incarnation);
    }

    /** The rows' keys, sorted: a multiset to compare. */
    static List<String> versions(List<HistoryRow> rows) {
        return keys(rows);
    }

    /** The rows' keys, sorted. */
    static List<String> keys(List<HistoryRow> rows) {
        return keysInOrder(rows).stream().sorted().toList();
    }

    /** The rows' keys, in the order of the rows. */
    static List<String> keysInOrder(List<HistoryRow> rows) {
        return rows.stream().map(Checks::key).toList();
    }

    /**
     * A row as the checks tell rows apart: its version, or a repeatable migration's file name
     * and the start of its checksum (each edit is a change of its own).
     */
    static String key(HistoryRow row) {
        return row.repeatable()
                ? row.script() + "#" + row.checksum().substring(0, 6)
                : row.version().toString();
    }

    static boolean isLockTimeout(Throwable t) {
        return t instanceof LockTimeoutException;
    }

    static boolean isFailure(Throwable t) {
        return t instanceof MigrationFailedException || t instanceof ValidationFailedException;
    }
}

package org.lockstep.internal.sim;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrationFailedException;
import org.lockstep.TransactionMode;
import org.lockstep.ValidationFailedException;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.script.MigrationScript;

/**
 * The protocol's promises, checked by deterministic simulation: random interleavings of up
 * to 20 workers running the real {@code MigrationProtocol}, random crash points with
 * restarts, busy reads and commits, outside lock holders, failing and invalid scripts, on
 * both lock shapes (SQLite's and PostgreSQL's, drawn per case), with repeatable scripts (new,
 * unchanged or edited) on history tables of the current format and of the previous release's,
 * which the first deploy that records a repeatable script upgrades. Atomicity is
 * checked after every step of every case (see {@code Simulation.checkAtomic}).
 *
 * <p>{@code -Dlockstep.tries=N} scales the number of cases; {@code -Dlockstep.seed=N}
 * replays one.
 */
final class ProtocolProperties {

    private static PropertyRunner.Case herd(
            int maxWorkers, int maxScripts, boolean upgrade, java.util.function.Consumer<Simulation.Outcome> check) {
        return (tape, keepTrace, report) -> {
            Scenario scenario = Scenario.herd(tape, maxWorkers, maxScripts, upgrade);
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            check.accept(outcome);
        };
    }

    @Test
    void exactlyOnceWhateverTheInterleavingAndCrashes() {
        PropertyRunner.check("exactly once", 250, herd(20, 30, false, outcome -> {
            Checks.finalStateIsEveryScriptOnce(outcome);
            Checks.repeatablesAppliedOncePerChange(outcome);
        }));
    }

    @Test
    void atomicityReadersOnlyEverSeeTransactionBoundaries() {
        // Few workers and scripts, many crashes: the shape where partial commits would show.
        PropertyRunner.check("atomicity", 250, (tape, keepTrace, report) -> {
            Scenario base = Scenario.herd(tape, 4, 6, tape.draw(2) == 1);
            Scenario scenario = new Scenario(
                    base.workers(),
                    base.scripts(),
                    base.appliedPrefix(),
                    base.mode(),
                    -1,
                    Scenario.Fault.NONE,
                    0,
                    60_000,
                    1 + tape.draw(8),
                    10,
                    true,
                    base.shape(),
                    base.readBusyPercent(),
                    base.commitBusyPercent(),
                    base.repeatables(),
                    base.repeatableHistory(),
                    base.formatOne());
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            Checks.finalStateIsEveryScriptOnce(outcome);
        });
    }

    @Test
    void allSucceedAndEveryReportNamesWhoAppliedEachMigration() {
        PropertyRunner.check("all succeed", 250, herd(20, 30, true, outcome -> {
            Checks.everySurvivorSucceededConsistently(outcome);
            Checks.finalStateIsEveryScriptOnce(outcome);
        }));
    }

    @Test
    void waitersFinishWithinTheDeadlineOrFailWithTheLockErrorChangingNothing() {
        PropertyRunner.check("bounded waiting", 150, (tape, keepTrace, report) -> {
            Scenario base = Scenario.herd(tape, 5, 5, true).withoutCrashes();
            boolean holdsPastDeadline = tape.draw(2) == 1;
            // Past the deadline means by a clear margin: the last poll may come up to one step
            // (2.1 ms) after the deadline, so the holder keeps the lock 30 ms longer.
            long hold = holdsPastDeadline ? 31 + tape.draw(300) : 1 + tape.draw(300);
            long timeout = holdsPastDeadline ? 1 + tape.draw((int) hold - 30) : 2 * hold + 1_000;
            Scenario scenario = base.withOutsideHold(hold, timeout);
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            boolean pending = scenario.appliedPrefix() < scenario.scripts();
            // A worker checks its deadline between attempts, so it may finish up to one
            // attempt (a few simulated calls of up to 2.1 ms each) after the deadline. Each
            // worker's deadline runs from its own start, which the schedule may delay.
            boolean anySucceeded = false;
            // The deadline bounds waiting for the lock, not applying migrations once it is held.
            for (Scheduler.Worker worker : outcome.workers()) {
                if (worker.failure instanceof LockTimeoutException e) {
                    // The wait runs from the worker's first refused try, which the schedule may
                    // delay; it ends at most one attempt (a few calls of up to 2.1 ms) past the bound.
                    Checks.require(
                            e.waited().toMillis() <= timeout + 50,
                            Checks.owner(worker) + " gave up after waiting " + e.waited() + ", well past its " + timeout
                                    + " ms deadline");
                    Checks.require(
                            worker.finishedAtMillis - worker.startedAtMillis
                                    >= e.waited().toMillis(),
                            Checks.owner(worker) + " reports a wait longer than its call");
                } else if (worker.failure == null) {
                    long waited = ((org.lockstep.MigrateResult) worker.result)
                            .lockWait()
                            .toMillis();
                    Checks.require(
                            waited <= timeout + 50,
                            Checks.owner(worker) + " waited " + waited + " ms for the lock, past its " + timeout
                                    + " ms deadline");
                }
                boolean heldPastItsDeadline = hold >= worker.startedAtMillis + timeout + 30;
                if (holdsPastDeadline && pending && heldPastItsDeadline) {
                    // The wait runs from the first refused try: a worker the schedule delayed until
                    // the holder let go took the lock at once, which is right (checked above:
                    // its wait is within the deadline). Any other end is the lock error.
                    Checks.require(
                            worker.failure == null || worker.failure instanceof LockTimeoutException,
                            Checks.owner(worker) + " should fail with the lock error but threw " + worker.failure);
                    if (worker.failure instanceof LockTimeoutException e) {
                        Checks.require(
                                e.waited().toMillis() >= timeout, "gave up after " + e.waited() + " < " + timeout);
                    }
                } else if (!holdsPastDeadline) {
                    Checks.require(worker.failure == null, Checks.owner(worker) + " failed: " + worker.failure);
                }
                anySucceeded |= worker.failure == null;
            }
            if (anySucceeded) {
                Checks.everySurvivorSucceededConsistently(outcomeOfSurvivors(outcome));
                Checks.finalStateIsEveryScriptOnce(outcome);
            } else if (scenario.mode() == TransactionMode.ALL_PENDING) {
                Checks.stateIs(outcome, outcome.initial(), "a timed-out deploy must change nothing");
            } else {
                // One transaction per migration: a worker may commit some, then time out
                // waiting (for the lock, or for readers at a later commit). Each is whole.
                Checks.stateIsAPrefix(outcome, "a timed-out per-migration deploy");
            }
        });
    }

    /** The state with its history rows as an earlier deploy's, by someone else, before any clock of the next. */
    private static SimDatabase.State asAnEarlierDeploy(SimDatabase.State state) {
        return new SimDatabase.State(
                state.historyExists(),
                state.history().stream()
                        .map(r -> new org.lockstep.internal.history.HistoryRow(
                                r.version(),
                                r.description(),
                                r.script(),
                                r.checksum(),
                                java.time.Instant.EPOCH,
                                "deploy-0",
                                0,
                                r.type(),
                                r.rank()))
                        .toList(),
                state.effects(),
                state.failures(),
                state.format());
    }

    /** The outcome without the workers that timed out, whose reports are the lock error. */
    private static Simulation.Outcome outcomeOfSurvivors(Simulation.Outcome outcome) {
        return new Simulation.Outcome(
                outcome.scenario(),
                outcome.workers().stream()
                        .filter(w -> !(w.failure instanceof LockTimeoutException))
                        .toList(),
                outcome.initial(),
                outcome.committed(),
                outcome.scripts(),
                outcome.pending(),
                outcome.trace(),
                outcome.steps(),
                outcome.failingRuns());
    }

    @Test
    void failingScriptFailsEveryWorkerAndLeavesTheStateBeforeIt() {
        PropertyRunner.check("failure", 200, (tape, keepTrace, report) -> {
            Scenario base = Scenario.herd(tape, 20, 10, true);
            int failing = base.appliedPrefix() + tape.draw(base.scripts() - base.appliedPrefix());
            Scenario scenario = base.withFailingScript(failing);
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            Checks.everySurvivorFailedWith(outcome, MigrationFailedException.class);
            int before = failing - scenario.appliedPrefix();
            Checks.stateIs(
                    outcome,
                    outcome.after(scenario.mode() == TransactionMode.ALL_PENDING ? 0 : before),
                    "after a failing deploy");
        });
    }

    @Test
    void aFailingScriptRunsOnceAHerdAndItsRecordNeverBlocksTheFixedDeploy() {
        PropertyRunner.check("failure record", 120, (tape, keepTrace, report) -> {
            Scenario base = Scenario.herd(tape, 10, 6, true);
            int failing = base.appliedPrefix() + tape.draw(base.scripts() - base.appliedPrefix());
            Scenario scenario = base.withFailingScript(failing);
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome first = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            Checks.everySurvivorFailedWith(first, MigrationFailedException.class);
            // A crash between the failure and its record's commit writes no record, so the next
            // worker runs the script again; nothing else does.
            long crashes = first.workers().stream().filter(w -> w.dead).count();
            Checks.require(
                    first.failingRuns() <= 1 + crashes,
                    "the failing script ran " + first.failingRuns() + " times in a herd of " + scenario.workers()
                            + " with " + crashes + " crashes");
            Checks.require(
                    first.committed().failures().size() <= first.failingRuns(),
                    "more failure records than failed runs");
            for (Scheduler.Worker worker : first.workers()) {
                if (!worker.dead && worker.failure instanceof MigrationFailedException failed) {
                    failed.failedFirstBy()
                            .ifPresent(by -> Checks.require(
                                    first.committed().failures().stream()
                                            .anyMatch(r -> r.failedBy().equals(by)),
                                    Checks.owner(worker) + " names [" + by + "] as the first to fail, which"
                                            + " recorded no failure"));
                }
            }
            // The fixed deploy, on what the failed one left (its records included), by a new herd.
            report.trace.add("-- the failing script fixed; a new herd --");
            Simulation.Outcome fixed = Simulation.run(
                    scenario.withFailingScript(-1),
                    new Simulation.Deploy(
                            asAnEarlierDeploy(first.committed()),
                            Simulation.deploy(scenario.withFailingScript(-1)).visible()),
                    tape,
                    Simulation.Variant.REAL,
                    report.trace);
            Checks.everySurvivorSucceededConsistently(fixed);
            Checks.finalStateIsEveryScriptOnce(fixed);
        });
    }

    @Test
    void upgradeAppliesOnlyTheNewScriptsExactlyOnce() {
        PropertyRunner.check("upgrade", 250, herd(20, 30, true, outcome -> {
            Checks.finalStateIsEveryScriptOnce(outcome);
            Checks.everySurvivorSucceededConsistently(outcome);
            Checks.repeatablesAppliedOncePerChange(outcome);
        }));
    }

    @Test
    void repeatableScriptsEditedBetweenDeploysAreAppliedOncePerEdit() {
        // Two deploys of one database, each a herd with crashes and restarts: the first brings
        // repeatable scripts (new, unchanged or edited since an earlier deploy, on a history
        // table of either format), the second edits some of them again.
        PropertyRunner.check("repeatable edits", 150, (tape, keepTrace, report) -> {
            Scenario base = Scenario.herd(tape, 12, 6, true);
            int repeatables = 1 + tape.draw(3);
            List<Integer> history = new ArrayList<>();
            for (int r = 0; r < repeatables; r++) {
                history.add(tape.draw(3));
            }
            boolean formatOne = base.appliedPrefix() > 0 && history.stream().allMatch(h -> h == 0) && tape.draw(2) == 1;
            Scenario scenario = new Scenario(
                    base.workers(),
                    base.scripts(),
                    base.appliedPrefix(),
                    base.mode(),
                    -1,
                    Scenario.Fault.NONE,
                    0,
                    60_000,
                    base.maxCrashes(),
                    base.crashPercent(),
                    true,
                    base.shape(),
                    base.readBusyPercent(),
                    base.commitBusyPercent(),
                    repeatables,
                    history,
                    formatOne);
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome first = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            Checks.everySurvivorSucceededConsistently(first);
            Checks.finalStateIsEveryScriptOnce(first);
            Checks.repeatablesAppliedOncePerChange(first);

            List<MigrationScript> edited = new ArrayList<>();
            List<String> edits = new ArrayList<>();
            for (MigrationScript script : first.scripts()) {
                int index = script.repeatable()
                        ? Integer.parseInt(script.description().substring(1))
                        : -1;
                if (index >= 0 && tape.draw(2) == 1) {
                    edited.add(Simulation.repeatable(index, Simulation.CURRENT_EDIT + 1));
                    edits.add(script.fileName());
                } else {
                    edited.add(script);
                }
            }
            report.trace.add("-- second deploy, edited: " + edits);
            // The first deploy is an earlier one now: its rows ran and ended before the second's
            // clock starts (a row counts as raced when its run ended after a call began).
            SimDatabase.State earlier = first.committed()
                    .withHistory(first.committed().history().stream()
                            .map(row -> new HistoryRow(
                                    row.version(),
                                    row.description(),
                                    row.script(),
                                    row.checksum(),
                                    java.time.Instant.EPOCH.minusMillis(row.executionMillis()),
                                    "deploy-0",
                                    row.executionMillis(),
                                    row.type(),
                                    row.rank()))
                            .toList());
            Simulation.Outcome second = Simulation.run(
                    scenario, new Simulation.Deploy(earlier, edited), tape, Simulation.Variant.REAL, report.trace);
            Checks.require(
                    second.pending().size() == edits.size(),
                    "the second deploy should apply exactly the edited scripts " + edits + ", not "
                            + second.pending().stream()
                                    .map(MigrationScript::fileName)
                                    .toList());
            Checks.everySurvivorSucceededConsistently(second);
            Checks.finalStateIsEveryScriptOnce(second);
            Checks.repeatablesAppliedOncePerChange(second);
        });
    }

    @Test
    void invalidScriptsStopEveryWorkerBeforeAnythingIsApplied() {
        PropertyRunner.check("validation", 200, (tape, keepTrace, report) -> {
            Scenario base = Scenario.herd(tape, 20, 10, false);
            int scripts = Math.max(2, base.scripts());
            int prefix = 1 + tape.draw(scripts - 1);
            Scenario.Fault fault = Scenario.Fault.values()[1 + tape.draw(4)];
            Scenario scenario = new Scenario(
                    base.workers(),
                    scripts,
                    prefix,
                    base.mode(),
                    -1,
                    fault,
                    0,
                    60_000,
                    base.maxCrashes(),
                    base.crashPercent(),
                    true,
                    base.shape(),
                    base.readBusyPercent(),
                    base.commitBusyPercent(),
                    base.repeatables(),
                    base.repeatableHistory(),
                    base.formatOne());
            if (fault == Scenario.Fault.MISSING_REPEATABLE) {
                scenario = scenario.withAppliedRepeatable();
            }
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = Simulation.run(scenario, tape, Simulation.Variant.REAL, report.trace);
            Checks.everySurvivorFailedWith(outcome, ValidationFailedException.class);
            Checks.stateIs(outcome, outcome.initial(), "validation failure must change nothing");
        });
    }
}

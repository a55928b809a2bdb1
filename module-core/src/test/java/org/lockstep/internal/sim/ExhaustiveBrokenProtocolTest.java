package org.lockstep.internal.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lockstep.TransactionMode;

/**
 * The three known-broken designs of {@link BrokenProtocolTest}, found by exhaustive
 * exploration instead of random runs: each fails in the smallest scope of a ladder of scopes
 * ordered by size, with the shortest schedule of that scope, and with no shrinking at all.
 * The expected scope and length are worked out by hand in each test.
 */
final class ExhaustiveBrokenProtocolTest {

    /** Scopes from the smallest up: one worker, then an upgrade, a crash, then two workers. */
    private static List<Exhaustive.Scope> ladder(Scenario.LockShape shape) {
        Exhaustive.Scope one = Exhaustive.Scope.of(1, 1, TransactionMode.ALL_PENDING, shape);
        return List.of(
                one,
                Exhaustive.Scope.of(1, 2, TransactionMode.ALL_PENDING, shape).withApplied(1),
                one.withCrash(),
                Exhaustive.Scope.of(2, 1, TransactionMode.ALL_PENDING, shape));
    }

    /** Climbs the ladder to the first scope where a schedule breaks a property. */
    private static Exhaustive.Report firstFailure(
            Scenario.LockShape shape, Function<Exhaustive.Scope, Simulation.Variant> variant, String design) {
        for (Exhaustive.Scope scope : ladder(shape)) {
            Exhaustive.Report report = Exhaustive.explore(scope, variant.apply(scope));
            if (report.shortest() != null) {
                System.out.println("Exhaustive counterexample for " + design + " in " + scope + " ("
                        + report.schedules() + " schedules, " + report.violations() + " violate):\n"
                        + report.shortest().describe() + "\n");
                return report;
            }
        }
        return null;
    }

    private static void assertFound(
            Exhaustive.Report report, String design, Exhaustive.Scope scope, List<Exhaustive.Step> schedule) {
        assertNotNull(report, design + " passed every scope of the ladder");
        assertEquals(scope, report.scope(), design + " found in an unexpected scope");
        assertEquals(schedule, report.shortest().schedule(), design + ": not the minimal schedule");
    }

    private static Exhaustive.Step w(String worker) {
        return new Exhaustive.Step(worker, Exhaustive.Move.RUN);
    }

    /**
     * One worker, one applied and one pending script: its first read finds a row, so every
     * script looks applied and it returns with 20 never applied. One step.
     */
    @ParameterizedTest
    @EnumSource(Scenario.LockShape.class)
    void rowCountDesignFailsAnUpgradeInOneStep(Scenario.LockShape shape) {
        assertFound(
                firstFailure(
                        shape,
                        scope -> BrokenProtocols.rowCount(Simulation.scripts(scope.scripts(), -1)),
                        "deciding 'already migrated' from a row count"),
                "row count",
                ladder(shape).get(1),
                List.of(w("w0")));
    }

    /**
     * One worker, one script: read, lock, commit of the effects alone, and the atomicity check
     * sees an effect with no history row after the third step.
     */
    @ParameterizedTest
    @EnumSource(Scenario.LockShape.class)
    void historyInASeparateTransactionFailsAfterItsFirstCommit(Scenario.LockShape shape) {
        assertFound(
                firstFailure(
                        shape,
                        scope -> BrokenProtocols.historyInSeparateTransaction(),
                        "history in a separate transaction"),
                "separate history transaction",
                ladder(shape).get(0),
                List.of(w("w0"), w("w0"), w("w0")));
    }

    /**
     * Needs two workers and no fault: w1 reads the history empty before w0 commits, takes the
     * lock after w0's commit and decides from its stale read, so its history insert collides
     * with w0's row and it fails, rolling back as it closes, then reads the history once more to
     * report the version the database is at (4 steps: read, lock, rollback, read); w0 reads,
     * locks, commits, and reads again to find nothing left (4 steps). The
     * failure shows at the end, when every worker has finished: 8 steps, and no schedule of one
     * worker, with or without a crash, breaks anything.
     */
    @ParameterizedTest
    @EnumSource(Scenario.LockShape.class)
    void noRereadUnderTheLockFailsWithTwoWorkersInEightSteps(Scenario.LockShape shape) {
        Exhaustive.Report report =
                firstFailure(shape, scope -> BrokenProtocols.noRereadUnderLock(), "not re-reading under the lock");
        assertNotNull(report, "not re-reading under the lock passed every scope of the ladder");
        assertEquals(ladder(shape).get(3), report.scope(), "found in an unexpected scope");
        List<Exhaustive.Step> schedule = report.shortest().schedule();
        assertEquals(8, schedule.size(), "not the minimal schedule: " + report.shortest());
        assertEquals(4, schedule.stream().filter(s -> s.equals(w("w0"))).count(), "w0's steps: " + schedule);
        assertEquals(4, schedule.stream().filter(s -> s.equals(w("w1"))).count(), "w1's steps: " + schedule);
    }
}

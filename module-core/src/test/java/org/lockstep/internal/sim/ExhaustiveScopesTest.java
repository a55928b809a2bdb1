package org.lockstep.internal.sim;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.TransactionMode;

/**
 * Every interleaving of the smallest deploys, on both lock shapes, each with every crash point
 * of one worker and with a failing script (see {@link Exhaustive} for what is enumerated and
 * how the enumeration is reduced). Prints the number of schedules and the time per scope.
 *
 * <p>{@code mvn verify} explores 2 workers x 1 migration and 2 workers x 2 migrations in the
 * default build; {@code -Dlockstep.exhaustive=all} adds 3 workers x 1 migration with a crash
 * and a failing script, the scopes that take minutes.
 */
final class ExhaustiveScopesTest {
    private static final boolean ALL = "all".equals(System.getProperty("lockstep.exhaustive"));

    /** The four fault sets of one shape: none, a crash, a failing last script, both. */
    private static List<Exhaustive.Scope> faults(
            int workers, int scripts, TransactionMode mode, Scenario.LockShape shape) {
        Exhaustive.Scope plain = Exhaustive.Scope.of(workers, scripts, mode, shape);
        return List.of(
                plain,
                plain.withCrash(),
                plain.withFailingScript(scripts - 1),
                plain.withCrash().withFailingScript(scripts - 1));
    }

    private static List<Exhaustive.Scope> scopes(int workers, int scripts, List<TransactionMode> modes) {
        List<Exhaustive.Scope> scopes = new ArrayList<>();
        for (Scenario.LockShape shape : Scenario.LockShape.values()) {
            for (TransactionMode mode : modes) {
                scopes.addAll(faults(workers, scripts, mode, shape));
            }
        }
        return scopes;
    }

    private static void exploreEvery(List<Exhaustive.Scope> scopes) {
        long total = 0;
        long millis = 0;
        for (Exhaustive.Scope scope : scopes) {
            Exhaustive.Report report = Exhaustive.explore(scope);
            System.out.println("exhaustive: " + report.line());
            assertNull(
                    report.shortest(),
                    () -> "a schedule breaks a property in " + scope + ":\n"
                            + report.shortest().describe());
            assertTrue(report.schedules() > 0, "nothing explored in " + scope);
            total += report.schedules();
            millis += report.millis();
        }
        System.out.println("exhaustive: " + scopes.size() + " scopes, " + total + " schedules in " + millis + " ms");
    }

    @Test
    void everyInterleavingOfTwoWorkersAndOneMigrationKeepsEveryPromise() {
        exploreEvery(scopes(2, 1, List.of(TransactionMode.ALL_PENDING)));
    }

    @Test
    void everyInterleavingOfTwoWorkersAndTwoMigrationsKeepsEveryPromise() {
        exploreEvery(scopes(2, 2, List.of(TransactionMode.ALL_PENDING, TransactionMode.PER_MIGRATION)));
    }

    @Test
    void everyInterleavingOfThreeWorkersAndOneMigrationKeepsEveryPromise() {
        exploreEvery(scopes(3, 1, List.of(TransactionMode.ALL_PENDING)));
    }
}

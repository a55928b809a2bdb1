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
 * <p>{@code mvn verify} explores every scope but the {@linkplain #large large} ones: those with
 * a crash of 3 workers x 1 migration and of 2 workers x 2 migrations, which take minutes;
 * {@code -Dlockstep.exhaustive=all} explores them too, and {@code -Dlockstep.exhaustive=smallest}
 * (the mutation profile's) only 2 workers x 1 migration without a crash.
 */
final class ExhaustiveScopesTest {
    private static final String SIZE = System.getProperty("lockstep.exhaustive", "default");

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

    /**
     * The scopes that take minutes rather than seconds (measured in the README's testing
     * section): with a crash, 3 workers x 1 migration and 2 workers x 2 migrations.
     */
    static boolean large(Exhaustive.Scope scope) {
        return scope.crash() && scope.workers() * scope.scripts() > 2;
    }

    /**
     * Whether a scope is explored at this size: {@code all}; {@code default}, all but the large
     * ones; {@code smallest}, 2 workers x 1 migration without a crash (for PIT, which runs the
     * tests once per mutant).
     */
    static boolean runs(Exhaustive.Scope scope) {
        return switch (SIZE) {
            case "all" -> true;
            case "smallest" -> !scope.crash() && scope.workers() * scope.scripts() <= 2;
            default -> !large(scope);
        };
    }

    private static void exploreEvery(List<Exhaustive.Scope> scopes) {
        long total = 0;
        long millis = 0;
        int explored = 0;
        for (Exhaustive.Scope scope : scopes) {
            if (!runs(scope)) {
                System.out.println("exhaustive: " + scope + ": not explored at -Dlockstep.exhaustive=" + SIZE);
                continue;
            }
            Exhaustive.Report report = Exhaustive.explore(scope);
            System.out.println("exhaustive: " + report.line());
            assertNull(
                    report.shortest(),
                    () -> "a schedule breaks a property in " + scope + ":\n"
                            + report.shortest().describe());
            assertTrue(report.schedules() > 0, "nothing explored in " + scope);
            total += report.schedules();
            millis += report.millis();
            explored++;
        }
        System.out.println("exhaustive: " + explored + " scopes, " + total + " schedules in " + millis + " ms");
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

package org.lockstep.internal.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.TransactionMode;

/**
 * The partial-order reduction of {@link Exhaustive} loses nothing: with and without sleep sets
 * the same scope ends in the same set of outcomes (committed history and effects, and what
 * every worker returned or threw), so the steps it treats as independent do commute. The
 * unreduced enumeration is every interleaving of the visible steps. {@code
 * -Dlockstep.exhaustive=all} adds two larger scopes.
 */
final class ExhaustiveReductionTest {

    @Test
    void sleepSetsReachEveryOutcomeThatEveryInterleavingReaches() {
        List<Exhaustive.Scope> scopes = new ArrayList<>(List.of(
                Exhaustive.Scope.of(2, 1, TransactionMode.ALL_PENDING, Scenario.LockShape.SQLITE),
                Exhaustive.Scope.of(2, 1, TransactionMode.ALL_PENDING, Scenario.LockShape.POSTGRESQL)
                        .withCrash(),
                Exhaustive.Scope.of(2, 2, TransactionMode.PER_MIGRATION, Scenario.LockShape.POSTGRESQL)
                        .withFailingScript(1)));
        if ("all".equals(System.getProperty("lockstep.exhaustive"))) {
            // About 20 s more: every interleaving is many times the reduced count.
            scopes.add(Exhaustive.Scope.of(2, 1, TransactionMode.ALL_PENDING, Scenario.LockShape.SQLITE)
                    .withCrash());
            scopes.add(Exhaustive.Scope.of(3, 1, TransactionMode.ALL_PENDING, Scenario.LockShape.POSTGRESQL));
        }
        for (Exhaustive.Scope scope : scopes) {
            Exhaustive.Report reduced = Exhaustive.explore(scope, Simulation.Variant.REAL, true);
            Exhaustive.Report full = Exhaustive.explore(scope, Simulation.Variant.REAL, false);
            System.out.println("reduction: " + scope + ": " + full.schedules() + " interleavings, "
                    + reduced.schedules() + " with sleep sets (" + reduced.millis() + " ms against "
                    + full.millis() + " ms), " + full.outcomes().size() + " distinct outcomes");
            assertNull(full.shortest(), () -> full.shortest().describe());
            assertEquals(full.outcomes(), reduced.outcomes(), "outcomes lost by the reduction in " + scope);
            assertTrue(reduced.schedules() <= full.schedules(), scope.toString());
        }
    }
}

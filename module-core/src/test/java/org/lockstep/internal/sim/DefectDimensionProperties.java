package org.lockstep.internal.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The protocol's promises over generated deploys with the defects of issues 11 and 13 as
 * dimensions ({@link DefectScenario.Dimension}): an older release meeting a newer history, a
 * history-table name in another case, a script that changes the session's {@code search_path},
 * a script whose own error carries a lock or serialization code, an in-memory database. Each
 * case is a random deploy (workers, scripts, crashes, busy reads and commits, both lock shapes)
 * with the dimension drawn on top; the properties are those of {@link ProtocolProperties}.
 *
 * <p>{@code -Dlockstep.tries=N} scales the number of cases; {@code -Dlockstep.seed=N} replays one.
 */
final class DefectDimensionProperties {

    static PropertyRunner.Case deploys(DefectScenario.Dimension dimension, boolean broken) {
        return deploys(dimension, broken, defect -> true);
    }

    /** The deploys of a dimension; a drawn deploy {@code only} rejects passes without running. */
    static PropertyRunner.Case deploys(
            DefectScenario.Dimension dimension, boolean broken, java.util.function.Predicate<DefectScenario> only) {
        return (tape, keepTrace, report) -> {
            DefectScenario defect = DefectScenario.draw(tape, dimension, broken);
            if (!only.test(defect)) {
                return;
            }
            report.scenario = defect.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = DefectSimulation.run(defect, tape, report.trace);
            DefectSimulation.check(defect, outcome);
        };
    }

    @ParameterizedTest
    @EnumSource(DefectScenario.Dimension.class)
    void everyPromiseHoldsWithTheDefectsShapeDrawnIn(DefectScenario.Dimension dimension) {
        PropertyRunner.check(dimension.toString(), 100, deploys(dimension, false));
    }
}

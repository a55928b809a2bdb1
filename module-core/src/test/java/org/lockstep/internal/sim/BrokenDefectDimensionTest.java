package org.lockstep.internal.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proof that each defect dimension has teeth: with the defect's fix reverted in the simulated
 * database (see {@link DefectScenario.Dimension} for what each reverts), the properties of
 * {@link DefectDimensionProperties} fail, and the counterexample shrinks to a readable schedule.
 */
final class BrokenDefectDimensionTest {
    private static final int TRIES = 200;

    @ParameterizedTest
    @EnumSource(DefectScenario.Dimension.class)
    void theDefectIsCaughtWhenItsFixIsReverted(DefectScenario.Dimension dimension) {
        PropertyRunner.Counterexample found = PropertyRunner.findCounterexample(
                dimension + " (fix reverted)", TRIES, DefectDimensionProperties.deploys(dimension, true));
        assertNotNull(found, dimension + " with its fix reverted passed " + TRIES + " cases: the properties miss it");
        System.out.println("Counterexample for " + dimension + " with its fix reverted:\n" + found.describe() + "\n");
    }

    /**
     * The other half of the row-identity defect, which a rebuild's counterexample does not show:
     * known by rowid, a new orphan in a {@code WITHOUT ROWID} table (every rowid null) looks
     * like the old one, and the deploy that adds it commits.
     */
    @Test
    void aNewOrphanInATableWithoutRowidsIsCaughtWhenViolationsAreKnownByRowid() {
        PropertyRunner.Counterexample found = PropertyRunner.findCounterexample(
                "new orphan without rowids (fix reverted)",
                TRIES,
                DefectDimensionProperties.deploys(
                        DefectScenario.Dimension.ROW_IDENTITY, true, d -> d.orphan() && d.withoutRowid()));
        assertNotNull(found, "a new orphan in a WITHOUT ROWID table went unnoticed in " + TRIES + " cases");
        assertTrue(
                found.failure().getMessage().contains("should fail with MigrationFailedException but succeeded"),
                found.describe());
        System.out.println("Counterexample for a new orphan without rowids, fix reverted:\n" + found.describe());
    }
}

package org.lockstep.internal.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Proof that the properties have teeth: each known-broken design fails a property, and the
 * harness shrinks the failure to a small counterexample with a readable schedule.
 */
final class BrokenProtocolTest {
    private static final int TRIES = 200;
    // The separate upgrade breaks only when a crash lands between its two commits and another
    // worker reads in between: rarer since a waiter whose change token has not moved no longer
    // reads before each lock try (200 cases found it in most runs, not all).
    private static final int UPGRADE_TRIES = 2000;

    private static PropertyRunner.Case promises(
            Function<Scenario, Simulation.Variant> variant, boolean upgrade, boolean crashes) {
        return (tape, keepTrace, report) -> {
            Scenario scenario = Scenario.herd(tape, 4, 4, upgrade);
            if (!crashes) {
                scenario = scenario.withoutCrashes();
            }
            report.scenario = scenario.toString();
            report.trace = Simulation.trace(keepTrace);
            Simulation.Outcome outcome = Simulation.run(scenario, tape, variant.apply(scenario), report.trace);
            Checks.everySurvivorSucceededConsistently(outcome);
            Checks.finalStateIsEveryScriptOnce(outcome);
        };
    }

    private static void assertSmall(PropertyRunner.Counterexample found, String design) {
        assertNotNull(found, design + " passed every case: the properties cannot tell it from the real protocol");
        System.out.println("Counterexample for " + design + ":\n" + found.describe() + "\n");
        assertTrue(
                found.report().scenario.contains("workers=1,")
                        || found.report().scenario.contains("workers=2,")
                        || found.report().scenario.contains("workers=3,"),
                "not shrunk: " + found.report().scenario);
        assertTrue(
                found.report().trace.size() <= 80,
                "schedule not shrunk: " + found.report().trace.size() + " events");
    }

    @Test
    void rowCountDesignFailsOnUpgradeAndShrinks() {
        assertSmall(
                PropertyRunner.findCounterexample(
                        "row count",
                        TRIES,
                        promises(
                                scenario -> BrokenProtocols.rowCount(Simulation.scripts(scenario.scripts(), -1)),
                                true,
                                false)),
                "deciding 'already migrated' from a row count");
    }

    @Test
    void noRereadUnderTheLockFailsAndShrinks() {
        assertSmall(
                PropertyRunner.findCounterexample(
                        "no re-read", TRIES, promises(scenario -> BrokenProtocols.noRereadUnderLock(), false, false)),
                "not re-reading history under the lock");
    }

    @Test
    void historyInASeparateTransactionFailsAndShrinks() {
        assertSmall(
                PropertyRunner.findCounterexample(
                        "separate history transaction",
                        TRIES,
                        promises(scenario -> BrokenProtocols.historyInSeparateTransaction(), false, true)),
                "writing history in a separate transaction");
    }

    @Test
    void upgradingTheHistoryTableInASeparateTransactionFailsAndShrinks() {
        assertSmall(
                PropertyRunner.findCounterexample(
                        "separate upgrade",
                        UPGRADE_TRIES,
                        promises(scenario -> BrokenProtocols.upgradeInSeparateTransaction(), true, false)),
                "upgrading the history table in a transaction of its own");
    }
}

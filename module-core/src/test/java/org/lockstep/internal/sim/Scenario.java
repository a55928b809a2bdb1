package org.lockstep.internal.sim;

import java.util.ArrayList;
import java.util.List;
import org.lockstep.TransactionMode;

/**
 * One simulated deploy: who migrates what, from where, under which faults. Drawn from a
 * {@link Tape}, so that shrinking the tape shrinks the scenario (0 is always the simplest).
 *
 * @param workers how many workers start at once
 * @param scripts how many scripts exist
 * @param appliedPrefix how many of them an earlier deploy applied
 * @param mode the transaction mode
 * @param failingScript the index of a script whose last statement fails, or -1
 * @param fault a validation fault to plant
 * @param outsideHoldMillis how long an outside writer holds the lock from time 0, or 0
 * @param lockTimeoutMillis the workers' lock timeout
 * @param maxCrashes how many crashes the schedule may inject
 * @param crashPercent the chance of a crash at each step while crashes are left
 * @param restart whether a crashed worker starts again
 * @param shape how the simulated database locks: SQLite's or PostgreSQL's
 * @param readBusyPercent the chance that a read fails with busy while the lock is held
 * @param commitBusyPercent the chance that a COMMIT fails with busy because a reader still
 *     holds its shared lock (rollback-journal mode); the transaction stays open
 * @param repeatables how many repeatable scripts exist ({@code R__r0.sql}, ...)
 * @param repeatableHistory what an earlier deploy did with each repeatable script: 0 nothing
 *     (it is new), 1 applied it as it is now, 2 applied an earlier edit of it (it is outdated)
 * @param formatOne whether the earlier deploy was the previous release's, whose history table
 *     is of format 1 (so it applied no repeatable script); the first deploy that records one
 *     upgrades the table
 */
record Scenario(
        int workers,
        int scripts,
        int appliedPrefix,
        TransactionMode mode,
        int failingScript,
        Fault fault,
        long outsideHoldMillis,
        long lockTimeoutMillis,
        int maxCrashes,
        int crashPercent,
        boolean restart,
        LockShape shape,
        int readBusyPercent,
        int commitBusyPercent,
        int repeatables,
        List<Integer> repeatableHistory,
        boolean formatOne) {

    /** Copies the list; checks that it covers every repeatable script. */
    Scenario {
        repeatableHistory = List.copyOf(repeatableHistory);
        if (repeatableHistory.size() != repeatables) {
            throw new IllegalArgumentException("repeatableHistory " + repeatableHistory + " for " + repeatables);
        }
    }

    /**
     * The two ways a database gives the protocol its lock. Both: one holder at a time, a try
     * that fails fast, released when the holder's transaction ends or it dies, and a re-read
     * under the lock that sees every earlier commit.
     */
    enum LockShape {
        /**
         * SQLite: the write lock ({@code BEGIN IMMEDIATE}). In rollback-journal mode a read may
         * fail busy while the holder commits, and a commit may fail busy while a reader holds
         * its shared lock (the transaction stays open).
         */
        SQLITE,
        /**
         * PostgreSQL: a try-lock inside a READ COMMITTED transaction. Readers are never
         * blocked, and a commit never waits for them.
         */
        POSTGRESQL
    }

    /** A validation fault planted in the scripts after the earlier deploy. */
    enum Fault {
        NONE,
        EDITED_SCRIPT,
        MISSING_SCRIPT,
        OUT_OF_ORDER_SCRIPT,
        /** A repeatable script an earlier deploy applied is deleted. */
        MISSING_REPEATABLE
    }

    /** The common shape: many workers, many scripts, crashes and restarts, no planted fault. */
    static Scenario herd(Tape tape, int maxWorkers, int maxScripts, boolean upgrade) {
        int workers = 1 + tape.draw(maxWorkers);
        int scripts = 1 + tape.draw(maxScripts);
        int prefix = upgrade ? tape.draw(scripts) : 0;
        TransactionMode mode = tape.draw(2) == 0 ? TransactionMode.ALL_PENDING : TransactionMode.PER_MIGRATION;
        int crashes = tape.draw(4);
        LockShape shape = LockShape.values()[tape.draw(2)];
        int readBusy = shape == LockShape.SQLITE ? tape.draw(2) * 30 : 0;
        int commitBusy = shape == LockShape.SQLITE ? tape.draw(2) * 40 : 0;
        int repeatables = tape.draw(4);
        List<Integer> history = new ArrayList<>();
        for (int r = 0; r < repeatables; r++) {
            history.add(upgrade ? tape.draw(3) : 0);
        }
        boolean formatOne = prefix > 0 && history.stream().allMatch(h -> h == 0) && tape.draw(2) == 1;
        return new Scenario(
                workers,
                scripts,
                prefix,
                mode,
                -1,
                Fault.NONE,
                0,
                60_000,
                crashes,
                3,
                true,
                shape,
                readBusy,
                commitBusy,
                repeatables,
                history,
                formatOne);
    }

    Scenario withFailingScript(int index) {
        return new Scenario(
                workers,
                scripts,
                appliedPrefix,
                mode,
                index,
                fault,
                outsideHoldMillis,
                lockTimeoutMillis,
                maxCrashes,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                repeatables,
                repeatableHistory,
                formatOne);
    }

    Scenario withFault(Fault planted) {
        return new Scenario(
                workers,
                scripts,
                appliedPrefix,
                mode,
                failingScript,
                planted,
                outsideHoldMillis,
                lockTimeoutMillis,
                maxCrashes,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                repeatables,
                repeatableHistory,
                formatOne);
    }

    Scenario withOutsideHold(long holdMillis, long timeoutMillis) {
        return new Scenario(
                workers,
                scripts,
                appliedPrefix,
                mode,
                failingScript,
                fault,
                holdMillis,
                timeoutMillis,
                maxCrashes,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                repeatables,
                repeatableHistory,
                formatOne);
    }

    /** The same deploy with at least one repeatable script, which an earlier deploy applied. */
    Scenario withAppliedRepeatable() {
        List<Integer> history = new ArrayList<>(repeatableHistory);
        if (history.isEmpty()) {
            history.add(1);
        } else if (history.get(0) == 0) {
            history.set(0, 1);
        }
        return new Scenario(
                workers,
                scripts,
                appliedPrefix,
                mode,
                failingScript,
                fault,
                outsideHoldMillis,
                lockTimeoutMillis,
                maxCrashes,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                history.size(),
                history,
                false);
    }

    /** The same deploy with each migration in the given transaction mode. */
    Scenario withMode(TransactionMode transactionMode) {
        return new Scenario(
                workers,
                scripts,
                appliedPrefix,
                transactionMode,
                failingScript,
                fault,
                outsideHoldMillis,
                lockTimeoutMillis,
                maxCrashes,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                repeatables,
                repeatableHistory,
                formatOne);
    }

    /** The same deploy with this many scripts. */
    Scenario withScripts(int count) {
        return new Scenario(
                workers,
                count,
                appliedPrefix,
                mode,
                failingScript,
                fault,
                outsideHoldMillis,
                lockTimeoutMillis,
                maxCrashes,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                repeatables,
                repeatableHistory,
                formatOne);
    }

    Scenario withoutCrashes() {
        return new Scenario(
                workers,
                scripts,
                appliedPrefix,
                mode,
                failingScript,
                fault,
                outsideHoldMillis,
                lockTimeoutMillis,
                0,
                crashPercent,
                restart,
                shape,
                readBusyPercent,
                commitBusyPercent,
                repeatables,
                repeatableHistory,
                formatOne);
    }
}

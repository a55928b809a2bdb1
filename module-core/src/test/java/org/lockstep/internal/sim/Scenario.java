package org.lockstep.internal.sim;

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
        int commitBusyPercent) {

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
        OUT_OF_ORDER_SCRIPT
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
                commitBusy);
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
                commitBusyPercent);
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
                commitBusyPercent);
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
                commitBusyPercent);
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
                commitBusyPercent);
    }
}

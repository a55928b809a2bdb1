package org.lockstep;

import java.time.Duration;

/**
 * Hears about a migration run as it happens, for progress output. Every method has an
 * empty default. Calls come on the thread that called {@link Migrator}, and must return
 * quickly; an exception thrown by a listener is logged and otherwise ignored.
 */
public interface MigrationListener {

    /** The listener that ignores everything. */
    MigrationListener NONE = new MigrationListener() {
    };

    /**
     * Another connection holds the write lock; called after each failed attempt.
     *
     * @param waited how long this call has waited so far
     * @param attempts how many attempts failed so far
     */
    default void lockBusy(Duration waited, int attempts) {
    }

    /**
     * A migration starts running, inside the lock holder's transaction.
     *
     * @param version its version
     * @param script its file name
     * @param statements how many statements it has
     */
    default void migrationStarted(MigrationVersion version, String script, int statements) {
    }

    /**
     * A statement of a running migration completed.
     *
     * @param version the migration's version
     * @param statement the 1-based number of the statement that completed
     * @param statements how many statements the migration has
     * @param elapsed how long the migration has been running
     */
    default void statementCompleted(MigrationVersion version, int statement, int statements, Duration elapsed) {
    }
}

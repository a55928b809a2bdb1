package org.lockstep;

import java.time.Duration;
import java.util.Optional;

/**
 * Hears about a migration run as it happens, for progress output. Every method has an
 * empty default. Calls come on the thread that called {@link Migrator}, and must return
 * quickly; an exception thrown by a listener is logged and otherwise ignored.
 */
public interface MigrationListener {

    /** The listener that ignores everything. */
    MigrationListener NONE = new MigrationListener() {};

    /**
     * Another connection holds a lock this call needs; called after each try that found it
     * busy, before waiting to try again.
     *
     * @param waited how long this call has waited so far: the same figure as
     *     {@link MigrateResult#lockWait()}, which the lock timeout bounds
     * @param attempts how many tries found a lock busy so far, this one included (at least 1)
     */
    default void lockBusy(Duration waited, int attempts) {}

    /**
     * A migration starts running, inside the lock holder's transaction.
     *
     * @param version its version; empty for a repeatable migration
     * @param script its file name, or a Java migration's class name
     * @param statements how many statements it has; 1 for a Java migration
     */
    default void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {}

    /**
     * A statement of a running migration completed; for a Java migration, its code returned.
     *
     * @param version the migration's version; empty for a repeatable migration
     * @param statement the 1-based number of the statement that completed
     * @param statements how many statements the migration has
     * @param elapsed how long the migration has been running
     */
    default void statementCompleted(
            Optional<MigrationVersion> version, int statement, int statements, Duration elapsed) {}

    /**
     * A migration this call applied is committed, with its history row: it will not be
     * rolled back. In {@code ALL_PENDING} mode every migration of the deploy is reported
     * after the one commit.
     *
     * @param migration the migration, as the history records it
     */
    default void migrationCompleted(AppliedMigration migration) {}

    /**
     * A call of {@link Migrator#migrate()} returned.
     *
     * @param result what it returns
     */
    default void runFinished(MigrateResult result) {}

    /**
     * A call of {@link Migrator#migrate()} failed; it throws {@code failure} next.
     *
     * @param failure what it throws
     */
    default void runFailed(LockstepException failure) {}
}

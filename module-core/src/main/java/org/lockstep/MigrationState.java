package org.lockstep;

/** Where a known migration stands, as {@link Migrator#status()} reports it. */
public enum MigrationState {
    /** Recorded in the history table, and the script's checksum matches the recorded one. */
    APPLIED,
    /** A script that is not applied yet and will be applied by the next {@code migrate()}. */
    PENDING,
    /** Recorded in the history table, but the script has changed since it was applied. */
    CHECKSUM_MISMATCH,
    /** Recorded in the history table, but no script with its version exists any more. */
    MISSING_SCRIPT,
    /**
     * A script that is not applied yet although a higher version is: applying it would
     * run migrations out of order, which is refused unless
     * {@link MigrationConfig.Builder#outOfOrder(boolean)} allows it.
     */
    OUT_OF_ORDER,
    /**
     * Recorded in the history table with a version above every script's: a newer release
     * applied it, and this one (an older release still running during a rolling deploy) does
     * not know it. Not a validation problem unless
     * {@link MigrationConfig.Builder#failOnFuture(boolean)} makes it one.
     */
    FUTURE
}

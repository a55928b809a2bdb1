package org.lockstep;

/**
 * Where a known migration stands, as {@link Migrator#status()} reports it. A versioned
 * migration (a script or a {@link JavaMigration}) is {@link #APPLIED}, {@link #PENDING},
 * {@link #CHECKSUM_MISMATCH}, {@link #MISSING_SCRIPT}, {@link #OUT_OF_ORDER} or
 * {@link #FUTURE}; a repeatable one ({@code R__<description>.sql}) is {@link #APPLIED},
 * {@link #PENDING}, {@link #OUTDATED} or {@link #MISSING_SCRIPT}.
 */
public enum MigrationState {
    /**
     * Recorded in the history table, and the migration's checksum matches the recorded one. For
     * a repeatable migration: its script as it is now was the last one applied.
     */
    APPLIED,
    /**
     * Not applied yet, and the next {@code migrate()} applies it. For a repeatable migration:
     * never applied; it is applied after every versioned migration of that deploy.
     */
    PENDING,
    /** Recorded in the history table, but the script has changed since it was applied. */
    CHECKSUM_MISMATCH,
    /**
     * Recorded in the history table, but no migration with its version exists any more; for a
     * repeatable migration, no script of its description.
     */
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
    FUTURE,
    /**
     * A repeatable migration whose script changed since it was last applied: the next
     * {@code migrate()} applies it again, after every versioned migration of that deploy. Not a
     * validation problem: changing is what a repeatable migration is for.
     */
    OUTDATED
}

package org.lockstep;

/** How {@link Migrator#migrate()} groups pending migrations into transactions. */
public enum TransactionMode {
    /**
     * All pending migrations and their history rows commit in one transaction: a deploy
     * lands whole or not at all. The default.
     */
    ALL_PENDING,
    /**
     * Each migration commits with its own history row; a failure rolls back only the
     * failing migration and leaves the earlier ones of the same run applied.
     */
    PER_MIGRATION
}

package org.lockstep;

import java.time.Duration;
import java.util.Objects;

/**
 * A migration stopped before it finished because its thread was interrupted or the call was
 * cancelled ({@link Migrator#cancel()}), while it waited for the migration lock or while it
 * applied migrations. Whatever the stopped transaction had done was rolled back before this was
 * thrown; the message says what state the database is in. An interrupted thread's interrupt flag
 * is set again.
 */
public final class MigrationInterruptedException extends LockstepException {
    private static final long serialVersionUID = 1L;

    /** What the call was doing when it stopped. */
    public enum Stage {
        /** Waiting for the migration lock (or for its turn at it): nothing had been changed. */
        WAITING,
        /**
         * Holding the migration lock and applying migrations: the open transaction was rolled
         * back (in per-migration mode, migrations committed before it stay committed).
         */
        APPLYING
    }

    private final Duration waited;
    private final Stage stage;
    private final boolean cancelled;

    /**
     * Creates the exception for a thread interrupted while it waited for the lock.
     *
     * @param database where the lock was wanted, for the message
     * @param waited how long the caller had waited
     * @param cause the interruption
     */
    public MigrationInterruptedException(String database, Duration waited, InterruptedException cause) {
        super(
                "Migration interrupted while waiting for the lock on [" + database + "] after [" + waited.toMillis()
                        + " ms]; nothing was changed",
                cause);
        this.waited = waited;
        this.stage = Stage.WAITING;
        this.cancelled = false;
    }

    /**
     * Creates the exception.
     *
     * @param stage what the call was doing
     * @param cancelled true if the call was cancelled ({@link Migrator#cancel()}), false if its
     *     thread was interrupted
     * @param doing what it was doing, for the message, e.g. {@code applying migration [004] from
     *     [004_backfill.sql] on [app.db]}
     * @param waited how long the call had waited for the lock
     * @param state what state the database is in, for the message, e.g. {@code the deploy was
     *     rolled back: nothing of it was committed; the database is at version [3]}
     * @param cause the interruption or the error of the cancelled statement, or {@code null}
     */
    public MigrationInterruptedException(
            Stage stage, boolean cancelled, String doing, Duration waited, String state, Throwable cause) {
        super(
                "Migration " + (cancelled ? "cancelled" : "interrupted") + " while " + Objects.requireNonNull(doing)
                        + "; " + Objects.requireNonNull(state),
                cause);
        this.waited = Objects.requireNonNull(waited, "waited");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.cancelled = cancelled;
    }

    /** Returns how long the caller had waited for the lock when it stopped. */
    public Duration waited() {
        return waited;
    }

    /** Returns what the call was doing when it stopped. */
    public Stage stage() {
        return stage;
    }

    /** Returns true if the call was cancelled with {@link Migrator#cancel()}, false if its thread was interrupted. */
    public boolean cancelled() {
        return cancelled;
    }
}

package org.lockstep;

import java.time.Duration;

/**
 * The calling thread was interrupted while it waited for the migration lock. The thread's
 * interrupt flag is set again, and nothing was changed.
 */
public final class MigrationInterruptedException extends LockstepException {
    private static final long serialVersionUID = 1L;

    private final Duration waited;

    /**
     * Creates the exception.
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
    }

    /** Returns how long the caller had waited when it was interrupted. */
    public Duration waited() {
        return waited;
    }
}

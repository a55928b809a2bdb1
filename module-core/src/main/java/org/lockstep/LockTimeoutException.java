package org.lockstep;

import java.time.Duration;
import java.util.Objects;

/**
 * The migration write lock could not be taken within the lock timeout or the maximum
 * number of attempts. Nothing was changed.
 */
public final class LockTimeoutException extends LockstepException {
    private static final long serialVersionUID = 1L;

    private final Duration waited;
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param database where the lock was wanted, for the message
     * @param waited how long the caller waited
     * @param attempts how many times it tried
     * @param cause the last busy error
     */
    public LockTimeoutException(String database, Duration waited, int attempts, Throwable cause) {
        super("Migration lock not acquired on [" + database + "] after waiting [" + waited.toMillis()
                + " ms] over [" + attempts + "] attempts: another connection holds the write lock", cause);
        this.waited = Objects.requireNonNull(waited, "waited");
        this.attempts = attempts;
    }

    /** Returns how long the caller waited for the lock. */
    public Duration waited() {
        return waited;
    }

    /** Returns how many times the caller tried to take the lock. */
    public int attempts() {
        return attempts;
    }
}

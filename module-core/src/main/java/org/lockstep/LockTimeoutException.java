package org.lockstep;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A wait for a lock ended at its bound: the lock timeout, the maximum number of attempts, or
 * (for a read that only reports) the read timeout. {@link #waitedFor()} says which wait.
 * Nothing was changed.
 */
public final class LockTimeoutException extends LockstepException {
    private static final long serialVersionUID = 1L;

    /** What the caller was waiting for when its bound ran out. */
    public enum Wait {
        /** The migration lock, which another connection holds. */
        MIGRATION_LOCK,
        /**
         * The commit of a deploy that held the migration lock: readers kept the database
         * busy, so the deploy was rolled back.
         */
        COMMIT,
        /** A read of the history (status, validate), which a connection holding the database exclusively blocked. */
        HISTORY_READ,
        /**
         * A statement of a deploy that held the migration lock waited for a lock another
         * connection holds on a table it uses; each wait was cut short so as not to block the
         * application behind it, and the deploy was rolled back each time.
         */
        TABLE_LOCK
    }

    private final Wait waitedFor;
    private final Duration waited;
    private final int attempts;
    private final LockHolder holder;

    /**
     * Creates the exception for a wait for the migration lock.
     *
     * @param database where the lock was wanted, for the message
     * @param waited how long the caller waited
     * @param attempts how many times it tried
     * @param cause the last busy error
     */
    public LockTimeoutException(String database, Duration waited, int attempts, Throwable cause) {
        this(Wait.MIGRATION_LOCK, database, waited, attempts, cause);
    }

    /**
     * Creates the exception.
     *
     * @param waitedFor what the caller waited for
     * @param database where, for the message
     * @param waited how long the caller waited
     * @param attempts how many times it tried
     * @param cause the last busy error
     */
    public LockTimeoutException(Wait waitedFor, String database, Duration waited, int attempts, Throwable cause) {
        super(message(waitedFor, database, waited, attempts), cause);
        this.waitedFor = waitedFor;
        this.waited = Objects.requireNonNull(waited, "waited");
        this.attempts = attempts;
        this.holder = null;
    }

    /**
     * Creates the exception for a wait that ended while a known process held the lock; the
     * message names it ({@link LockHolder#describe()}).
     *
     * @param waitedFor what the caller waited for
     * @param database where, for the message
     * @param waited how long the caller waited
     * @param attempts how many times it tried
     * @param cause the last busy error
     * @param holder who held the lock when the wait ended
     */
    public LockTimeoutException(
            Wait waitedFor, String database, Duration waited, int attempts, Throwable cause, LockHolder holder) {
        super(
                message(waitedFor, database, waited, attempts) + "; the lock is held by "
                        + Objects.requireNonNull(holder, "holder").describe(),
                cause);
        this.waitedFor = waitedFor;
        this.waited = Objects.requireNonNull(waited, "waited");
        this.attempts = attempts;
        this.holder = holder;
    }

    private static String message(Wait waitedFor, String database, Duration waited, int attempts) {
        String after = " after waiting [" + waited.toMillis() + " ms] over [" + attempts + "] attempts: ";
        switch (Objects.requireNonNull(waitedFor, "waitedFor")) {
            case TABLE_LOCK:
                return "Deploy to [" + database + "] not completed" + after + "this worker held the migration lock,"
                        + " but another session held a lock on a table a statement needs; the deploy was rolled back";
            case COMMIT:
                return "Deploy to [" + database + "] not committed" + after + "this worker held the migration lock,"
                        + " but readers kept the database busy at commit; the deploy was rolled back";
            case HISTORY_READ:
                return "History of [" + database + "] not read" + after + "another connection holds the database"
                        + " exclusively";
            default:
                return "Migration lock not acquired on [" + database + "]" + after
                        + "another connection holds the write lock";
        }
    }

    /**
     * Creates the exception with the last thing that waited named after the message, such as
     * the statement that waited for a table lock.
     *
     * @param waitedFor what the caller waited for
     * @param database where, for the message
     * @param waited how long the caller waited
     * @param attempts how many times it tried
     * @param cause the last busy error, whose message names what waited
     * @param detail appended to the message
     */
    public LockTimeoutException(
            Wait waitedFor, String database, Duration waited, int attempts, Throwable cause, String detail) {
        super(message(waitedFor, database, waited, attempts) + ". " + Objects.requireNonNull(detail, "detail"), cause);
        this.waitedFor = waitedFor;
        this.waited = Objects.requireNonNull(waited, "waited");
        this.attempts = attempts;
        this.holder = null;
    }

    /** Returns what the caller was waiting for. */
    public Wait waitedFor() {
        return waitedFor;
    }

    /** Returns how long the caller waited for the lock. */
    public Duration waited() {
        return waited;
    }

    /** Returns how many times the caller tried to take the lock. */
    public int attempts() {
        return attempts;
    }

    /**
     * Returns who held the lock when the wait ended, when the operating system or the server
     * could tell (on Linux for SQLite, through {@code /proc/locks}; on PostgreSQL, through
     * {@code pg_locks}); empty otherwise.
     */
    public Optional<LockHolder> holder() {
        return Optional.ofNullable(holder);
    }
}

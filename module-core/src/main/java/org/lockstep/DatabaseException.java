package org.lockstep;

import java.util.Objects;

/**
 * The database cannot be used for migrations: it cannot be opened, is not a database, is
 * read-only or damaged, its history table has an unexpected shape, or the environment failed
 * under a deploy (a full disk, an I/O error, a lost connection, a file replaced). Nothing of the
 * failed transaction was committed; when the failure came while this worker held the migration
 * lock, the message ends with what state the database is in, read back after the rollback where
 * it could be ({@code the deploy was rolled back: nothing of it was committed; the database is
 * at version [12]}).
 */
public final class DatabaseException extends LockstepException {
    private static final long serialVersionUID = 1L;

    /** Why the database cannot be used. */
    public enum Reason {
        /** The database file or its folder cannot be opened or created, or the server cannot be reached. */
        CANNOT_OPEN,
        /** The server refused the user or password given. */
        CREDENTIALS_REFUSED,
        /** The file is not a database of the expected kind. */
        NOT_A_DATABASE,
        /** The database or its folder is read-only, so nothing can be applied. */
        READ_ONLY,
        /** The database file is damaged. */
        CORRUPT,
        /** The history table exists but does not have the columns Lockstep writes. */
        HISTORY_TABLE_SHAPE,
        /**
         * A baseline was refused: the database already has a history, or has no tables to
         * adopt, or no script is at or below the baseline version.
         */
        BASELINE_REFUSED,
        /**
         * An adoption was refused as asked: the database holds no supported tool's history,
         * holds several (say which), the table named has another shape, or the other tool's
         * table has the name of Lockstep's history table (adopt into another name). Nothing
         * was written.
         */
        ADOPTION_REFUSED,
        /**
         * An adoption was refused because the other tool's history records a migration that
         * failed or did not finish (Flyway's {@code success = 0}, sqlx's {@code success =
         * false}, golang-migrate's {@code dirty}): what it left in the database is unknown until
         * that tool's own repair. Nothing was written.
         */
        ADOPTION_BLOCKED,
        /** The database product is not one Lockstep supports. */
        UNSUPPORTED,
        /** No JDBC driver on the class path or module path accepts the URL. */
        NO_DRIVER,
        /**
         * Work this call committed is missing from a later read: the database does not keep
         * what is committed across connections (a private in-memory database reached through
         * a data source, or a file replaced or edited while migrating).
         */
        COMMITS_LOST,
        /**
         * The disk (or the user's quota) is full, or the process's file-size limit
         * ({@code ulimit -f}) was reached: the database or its journal could not grow. The deploy
         * was rolled back.
         */
        DISK_FULL,
        /**
         * The operating system reported an I/O error reading or writing the database or its
         * journal. The deploy was rolled back as far as the database could; the message says
         * what state it is in.
         */
        IO_ERROR,
        /**
         * The connection to the database server was lost (a server restart, a terminated
         * backend, a network cut), or the server could not be reached again within the lock
         * timeout after it had been. The server rolls back the open transaction of a lost
         * connection.
         */
        CONNECTION_LOST,
        /**
         * The database file was deleted, or replaced by another file, while this worker had it
         * open (waiting for the lock or migrating): what it would change is no longer the database
         * at that path. Nothing was changed through it.
         */
        DATABASE_REPLACED,
        /** Any other database error outside a migration script. */
        OTHER
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the database cannot be used
     * @param message a message naming the database
     * @param cause the driver's error, or {@code null}
     */
    public DatabaseException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Returns why the database cannot be used. */
    public Reason reason() {
        return reason;
    }
}

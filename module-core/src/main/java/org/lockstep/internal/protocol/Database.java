package org.lockstep.internal.protocol;

import java.sql.SQLException;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.LockHolder;

/** Where sessions come from, and what its errors mean. */
public interface Database {

    /**
     * Opens a new connection.
     *
     * @return the session
     * @throws SQLException if the connection cannot be opened
     */
    Session open() throws SQLException;

    /**
     * Returns true if the database certainly does not exist yet, so that opening it would
     * create it: a SQLite file that is not there. Reads and dry runs then report an empty
     * history instead of opening it. False when in doubt.
     */
    default boolean isAbsent() {
        return false;
    }

    /**
     * Returns true if the error means another connection holds a lock this one needs, so
     * the attempt may be retried.
     *
     * @param error an error from this database
     * @return whether it is a busy error
     */
    boolean isBusy(SQLException error);

    /**
     * Returns true if an error raised by a script's statement is about the database itself
     * (read-only, damaged, unreachable, full) rather than about the statement, so it is
     * reported as such and not as a failing migration.
     *
     * @param error an error from a script's statement
     * @return whether the database, not the script, is at fault
     */
    boolean isDatabaseFault(SQLException error);

    /**
     * Returns true if the error means an established connection to the database was lost (the
     * server shut down or restarted, the session was terminated, the network cut). A worker that
     * is not holding the lock keeps trying, within the lock timeout, as for a busy lock: a server
     * restart while workers wait ends with them reconnecting. False for a database without
     * connections to lose (SQLite).
     *
     * @param error an error from this database
     * @return whether the connection was lost
     */
    default boolean isConnectionLost(SQLException error) {
        return false;
    }

    /**
     * Returns true if the error means the server cannot take a connection for now (refused, as
     * while it restarts; starting up; shutting down). A worker that reached the database earlier
     * in the call keeps trying within the lock timeout; one that never did fails at once, as for a
     * wrong address.
     *
     * @param error an error from this database
     * @return whether the server is unreachable for now
     */
    default boolean isUnreachable(SQLException error) {
        return false;
    }

    /**
     * Returns who holds the migration lock now, as far as the operating system or the server
     * can tell; empty when it is free, when it cannot tell, or on any error. Never waits for
     * long: called when a wait for the lock ends and by {@code inspect()}.
     *
     * @return the holder
     */
    default Optional<LockHolder> lockHolder() {
        return Optional.empty();
    }

    /**
     * Turns an error outside any migration script into the API's exception.
     *
     * @param error the error
     * @param doing what was being done, e.g. {@code reading the history table}
     * @return the exception to throw
     */
    DatabaseException translate(SQLException error, String doing);

    /** Returns what to call this database in messages, e.g. its file name. */
    String describe();

    /**
     * Returns what tells this database's history table apart from every other one in the process:
     * two databases with the same identity read the same rows through any of their sessions, so a
     * read one of them made may stand for a read of the other ({@link Turns.Published}). Empty
     * when that cannot be told (a data source, connection initializers, a database in memory).
     */
    default Optional<String> historyIdentity() {
        return Optional.empty();
    }
}

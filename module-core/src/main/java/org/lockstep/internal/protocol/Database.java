package org.lockstep.internal.protocol;

import java.sql.SQLException;
import org.lockstep.DatabaseException;

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
     * Turns an error outside any migration script into the API's exception.
     *
     * @param error the error
     * @param doing what was being done, e.g. {@code reading the history table}
     * @return the exception to throw
     */
    DatabaseException translate(SQLException error, String doing);

    /** Returns what to call this database in messages, e.g. its file name. */
    String describe();
}

package org.lockstep.internal.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.lockstep.DatabaseException;
import org.lockstep.internal.jdbc.ConnectionSource;

/**
 * A private, empty SQLite database in memory that scripts are replayed into, with foreign-key
 * enforcement off as {@code migrate} runs them (a table rebuild would otherwise cascade). It
 * lives as long as its one connection. Core has no driver: the connection comes from
 * {@link java.sql.DriverManager}, so the application's SQLite driver must be there.
 *
 * <p>Not thread-safe.
 */
public final class ScratchDatabase implements AutoCloseable {
    private static final String URL = "jdbc:sqlite::memory:";

    private final Connection connection;

    private ScratchDatabase(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens a new scratch database.
     *
     * @param purpose what it is for, for the message when no SQLite driver is there
     * @return the database
     * @throws DatabaseException with reason {@link DatabaseException.Reason#NO_DRIVER} without a
     *     SQLite JDBC driver
     */
    public static ScratchDatabase open(String purpose) {
        Connection connection;
        try {
            connection = ConnectionSource.of(URL).open();
        } catch (DatabaseException e) {
            throw new DatabaseException(
                    DatabaseException.Reason.NO_DRIVER,
                    purpose + " replays scripts into an in-memory SQLite database, and no SQLite JDBC driver is on"
                            + " the class path or module path; add org.xerial:sqlite-jdbc",
                    e);
        } catch (SQLException e) {
            throw new DatabaseException(
                    DatabaseException.Reason.OTHER,
                    purpose + " cannot open an in-memory SQLite database: " + e.getMessage(),
                    e);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA foreign_keys = OFF");
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new DatabaseException(
                    DatabaseException.Reason.OTHER, purpose + " cannot set up its in-memory SQLite database", e);
        }
        return new ScratchDatabase(connection);
    }

    /** Returns the connection, for reading the schema. */
    public Connection connection() {
        return connection;
    }

    /**
     * Runs one statement as written.
     *
     * @param sql the statement
     * @throws SQLException if SQLite refuses or fails it
     */
    public void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Returns SQLite's {@code schema_version}, which changes with every change of the schema.
     *
     * @throws SQLException on a database error
     */
    public int schemaVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Returns the SQLite library's version, such as {@code 3.54.1}.
     *
     * @throws SQLException on a database error
     */
    public String sqliteVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT sqlite_version()")) {
            return rs.next() ? rs.getString(1) : "unknown";
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // An in-memory database has nothing to lose on a failed close.
        }
    }
}

package org.lockstep.internal.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.lockstep.DatabaseException;
import org.lockstep.LockHolder;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.jdbc.Dialect;
import org.lockstep.internal.jdbc.JdbcDatabase;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.ScriptDialect;

/**
 * A PostgreSQL database reached through JDBC. Errors are classified by SQLState
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html), never by message text.
 *
 * <p>Busy, so retried within the lock timeout: {@code 55P03} lock_not_available (the
 * migration lock is held elsewhere, which {@link PostgresSession#beginImmediate} reports
 * with this state, or a statement waited past {@code lock_timeout}), {@code 40001}
 * serialization_failure and {@code 40P01} deadlock_detected. A fault of the database
 * rather than of a script: class 08 (connection), 28 (authorization), 3D (no such
 * database), 53 (out of resources: disk, memory, connections), 57P (shut down, cannot
 * connect now), 58 and XX (system and internal errors) and 25006 (a read-only standby). A
 * script's own error, a permission denied (42501) included, is a failed migration.
 */
public final class PostgresDatabase extends JdbcDatabase {
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final Set<String> BUSY = Set.of(LOCK_NOT_AVAILABLE, "40001", "40P01");
    private static final Set<String> FAULT_CLASSES = Set.of("08", "28", "3D", "53", "58", "XX");
    private static final Set<String> FAULTS = Set.of("25006", "57P01", "57P02", "57P03", "57P04", "57P05");
    /**
     * A connection that was lost: 08003 connection_does_not_exist, 08006 connection_failure,
     * 08007 transaction_resolution_unknown; 57P01 admin_shutdown, which both a server shutdown
     * and {@code pg_terminate_backend} send; 57P02 crash_shutdown.
     */
    private static final Set<String> LOST = Set.of("08003", "08006", "08007", "57P01", "57P02");
    /**
     * A server that cannot take a connection for now: 08001 unable to connect (refused, as while
     * it restarts), 57P03 cannot_connect_now (starting up or shutting down).
     */
    private static final Set<String> UNREACHABLE = Set.of("08001", "57P03");

    /** PostgreSQL, for {@code jdbc:postgresql:} URLs: a new connection per call. */
    private static final System.Logger LOG = System.getLogger(PostgresDatabase.class.getName());

    private volatile boolean warned;

    public static final Dialect DIALECT = new Dialect(
            "PostgreSQL",
            "jdbc:postgresql:",
            ScriptDialect.POSTGRESQL,
            Dialect.Connections.NEW_EACH_TIME,
            PostgresDatabase::new);

    /**
     * Creates the database.
     *
     * @param source where connections come from
     * @param history where the history table is, as configured
     */
    public PostgresDatabase(ConnectionSource source, HistoryName history) {
        super(source, "PostgreSQL", history);
    }

    @Override
    protected Session session(Connection connection) throws SQLException {
        return PostgresSession.open(connection, history(), describe(), this::warnOnce);
    }

    // Said once per Migrator, not once per connection.
    private void warnOnce(String warning) {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, () -> warning);
        }
    }

    @Override
    public boolean isBusy(SQLException error) {
        return BUSY.contains(state(error));
    }

    @Override
    public boolean isConnectionLost(SQLException error) {
        return LOST.contains(state(error));
    }

    @Override
    public boolean isUnreachable(SQLException error) {
        return UNREACHABLE.contains(state(error));
    }

    /** The backend holding the advisory lock, as {@code pg_locks} and {@code pg_stat_activity} show it. */
    @Override
    public Optional<LockHolder> lockHolder() {
        try (Session session = open()) {
            return ((PostgresSession) session).lockHolder();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isDatabaseFault(SQLException error) {
        String state = state(error);
        return state.length() == 5 && (FAULT_CLASSES.contains(state.substring(0, 2)) || FAULTS.contains(state));
    }

    @Override
    public DatabaseException translate(SQLException error, String doing) {
        String where = "Database [" + describe() + "]";
        String cause = error.getMessage();
        String state = state(error);
        if (state.startsWith("28")) {
            return new DatabaseException(
                    DatabaseException.Reason.CREDENTIALS_REFUSED,
                    where + " refused the credentials" + " while " + doing + ": " + cause,
                    error);
        }
        if (state.equals("3D000")) {
            return new DatabaseException(
                    DatabaseException.Reason.CANNOT_OPEN, where + " does not exist: " + cause, error);
        }
        if (LOST.contains(state)) {
            return new DatabaseException(
                    DatabaseException.Reason.CONNECTION_LOST,
                    where + " lost the connection (a server restart, a terminated backend, a network cut) while "
                            + doing + ": " + cause,
                    error);
        }
        if (state.startsWith("08") || state.startsWith("57P")) {
            return new DatabaseException(
                    DatabaseException.Reason.CANNOT_OPEN,
                    where + " cannot be reached while " + doing + ": " + cause,
                    error);
        }
        if (state.equals("25006")) {
            return new DatabaseException(
                    DatabaseException.Reason.READ_ONLY,
                    where + " is read-only (a standby, or" + " default_transaction_read_only) while " + doing + ": "
                            + cause,
                    error);
        }
        if (state.equals("42501")) {
            return new DatabaseException(
                    DatabaseException.Reason.OTHER,
                    where + " denied a permission while " + doing + ": " + cause,
                    error);
        }
        return new DatabaseException(
                DatabaseException.Reason.OTHER, where + " failed while " + doing + ": " + cause, error);
    }

    /** Returns the SQLState of the error or of the first cause that has one, or "". */
    static String state(SQLException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }
}

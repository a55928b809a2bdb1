package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/**
 * What every session on a JDBC connection shares: running a statement as written, and the
 * history table's creation and rows. A dialect adds its lock, its read transaction, its commit
 * and how it leaves the connection.
 */
public abstract class JdbcSession implements Session {
    /** The connection, which this session owns and closes. */
    protected final Connection connection;

    private final HistoryTable history;

    /**
     * Creates the session.
     *
     * @param connection the connection, which the session owns from now on
     * @param history the history table as this session's database names it
     */
    protected JdbcSession(Connection connection, HistoryTable history) {
        this.connection = connection;
        this.history = history;
    }

    /** Returns the history table as this session's database names it. */
    protected final HistoryTable history() {
        return history;
    }

    /**
     * Returns the violations of integrity rules not enforced while the scripts ran; none by
     * default, for a database that enforces every rule as statements run or at commit.
     *
     * @throws SQLException on a database error
     */
    @Override
    public List<String> integrityViolations() throws SQLException {
        return List.of();
    }

    /**
     * Called before each script statement, inside the transaction; does nothing by default.
     *
     * @throws SQLException on a database error
     */
    protected void beforeStatement() throws SQLException {}

    /** The product and its version, as the driver reports them, then {@link #details}. */
    @Override
    public final Map<String, String> about() throws SQLException {
        Map<String, String> about = new LinkedHashMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        about.put("product", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
        details(about);
        return about;
    }

    /**
     * Adds what this dialect's operators want to know besides product and version.
     *
     * @param about the details so far, to add to
     * @throws SQLException on a database error
     */
    protected void details(Map<String, String> about) throws SQLException {}

    @Override
    public final void createHistoryTable() throws SQLException {
        run(history().createSql());
    }

    @Override
    public final void execute(SqlStatement statement) throws SQLException {
        beforeStatement();
        long started = System.nanoTime();
        try {
            run(statement.sql());
        } catch (SQLException e) {
            throw statementFailed(e, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Returns what a script statement's failure means; by default the error itself. A dialect
     * whose statements can wait for another connection's lock says when the failure was the
     * end of that wait ({@link org.lockstep.internal.protocol.StatementLockTimeoutException}).
     *
     * @param error the statement's error
     * @param ran how long the statement ran before it failed
     * @return the error to throw
     */
    protected SQLException statementFailed(SQLException error, Duration ran) {
        return error;
    }

    @Override
    public final void insertHistory(HistoryRow row) throws SQLException {
        history().insert(connection, row);
    }

    /**
     * Runs one statement as written: no JDBC escape processing of {@code {fn ...}}. A statement
     * that returns rows (a script's {@code PRAGMA foreign_key_check}) runs as a query: its rows
     * are read to the end, as the {@code sqlite3} shell and {@code psql} read them, and dropped.
     *
     * @param sql the statement
     * @throws SQLException on a database error
     */
    protected final void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet()) {
                    while (rows.next()) {
                        // read and dropped
                    }
                }
            }
        }
    }
}

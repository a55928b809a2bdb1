package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.FailureTable;
import org.lockstep.internal.history.ForeignTable;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/**
 * What every session on a JDBC connection shares: running a statement as written (and
 * cancelling it from another thread), the history table's creation and rows, the savepoint a
 * failed deploy is taken back to, and the failure table's rows. A dialect adds its lock, its read
 * transaction, its commit and how it leaves the connection.
 */
public abstract class JdbcSession implements Session {
    /** The connection, which this session owns and closes. */
    protected final Connection connection;

    /** The savepoint at the start of a deploy's work, the same SQL on every database Lockstep supports. */
    private static final String SAVEPOINT = "lockstep_deploy";

    private HistoryTable history;
    // The script statement running now, and whether a cancel came: set by the session's
    // thread, read by the thread that cancels.
    private volatile Statement running;
    private volatile boolean cancelRequested;
    // The format of the history table as this session last read, created or upgraded it.
    private int format = HistoryTable.FORMAT;
    // The insert of history rows, prepared once for all the rows of the session's deploys (a
    // prepare costs as much as the insert), for the format it was prepared for; the connection
    // closes it.
    private PreparedStatement historyInsert;
    private int historyInsertFormat;

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

    @Override
    public void runJava(org.lockstep.JavaMigration migration, String name) throws SQLException {
        GuardedConnection guard = GuardedConnection.of(connection, name);
        migration.migrate(guard.connection());
        if (guard.broken() != null) {
            throw new SQLException(guard.broken() + " (the migration caught the refusal and went on)", "25000");
        }
    }

    /** Returns the history table as this session's database names it. */
    protected final HistoryTable history() {
        return history;
    }

    /**
     * Moves this session to another history table of its database: a dialect whose history is
     * found through a search path may find it elsewhere once it holds the lock.
     *
     * @param moved the history table from now on
     * @throws SQLException if the insert prepared for the old table cannot be closed
     */
    protected final void moveHistory(HistoryTable moved) throws SQLException {
        history = moved;
        format = HistoryTable.FORMAT;
        if (historyInsert != null) {
            historyInsert.close();
            historyInsert = null;
        }
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
     * @param statement the statement about to run
     * @throws SQLException on a database error
     */
    protected void beforeStatement(SqlStatement statement) throws SQLException {}

    /** A constant: a database without a cheap commit counter; its waiters wait out their backoff. */
    @Override
    public long changeToken() throws SQLException {
        return 0;
    }

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

    /**
     * Reads the history table, which exists, and remembers its format for the rows this
     * session writes.
     *
     * @param others whether the database has other tables
     * @return the snapshot
     * @throws SQLException on a database error
     */
    protected final HistorySnapshot readExisting(boolean others) throws SQLException {
        HistoryTable.Contents contents = history.read(connection);
        format = contents.format();
        return new HistorySnapshot(true, contents.rows(), others, contents.format());
    }

    @Override
    public final void createHistoryTable() throws SQLException {
        run(history().createSql());
        format = HistoryTable.FORMAT;
    }

    @Override
    public final void upgradeHistoryTable(List<HistoryRow> rows) throws SQLException {
        history().upgrade(connection, rows);
        format = HistoryTable.FORMAT;
    }

    @Override
    public final void execute(SqlStatement statement) throws SQLException {
        beforeStatement(statement);
        long started = System.nanoTime();
        try (Statement jdbc = connection.createStatement()) {
            jdbc.setEscapeProcessing(false);
            running = jdbc;
            try {
                // Checked after publishing the statement, so a cancel that came between two
                // statements is not missed: either it sees this statement, or this sees it.
                if (cancelRequested) {
                    throw new SQLException("Statement cancelled before it started", "57014");
                }
                jdbc.execute(statement.sql());
            } finally {
                running = null;
            }
        } catch (SQLException e) {
            throw statementFailed(e, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Cancels the script statement running now through {@link Statement#cancel()}, which both
     * drivers allow from another thread (SQLite's {@code sqlite3_interrupt}, PostgreSQL's cancel
     * request); a later statement is refused before it starts.
     */
    @Override
    public final void cancel() {
        cancelRequested = true;
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException e) {
                // It ended meanwhile: the protocol sees the cancel before its next step.
            }
        }
    }

    @Override
    public final void markDeploy() throws SQLException {
        run("SAVEPOINT " + SAVEPOINT);
    }

    @Override
    public final void undoDeploy() throws SQLException {
        run("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
    }

    @Override
    public final void insertFailure(FailureRecord failure) throws SQLException {
        failureTable().insert(connection, failure);
    }

    /** Returns the failure table beside this session's history table. */
    protected abstract FailureTable failureTable();

    /**
     * Returns whether the failure table exists, as this session's transaction sees it.
     *
     * @throws SQLException on a database error
     */
    protected abstract boolean failureTableExists() throws SQLException;

    /**
     * Reads the failure table's rows in the current transaction: none if it does not exist.
     *
     * @return the rows
     * @throws SQLException on a database error
     */
    protected final List<FailureRecord> failureRows() throws SQLException {
        return failureTableExists() ? failureTable().readRows(connection) : List.of();
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

    /**
     * Called before each history row is inserted, inside the transaction; does nothing by default.
     *
     * @throws SQLException on a database error
     */
    protected void beforeHistoryInsert() throws SQLException {}

    @Override
    public final void insertHistory(HistoryRow row) throws SQLException {
        beforeHistoryInsert();
        if (historyInsert == null || historyInsertFormat != format) {
            if (historyInsert != null) {
                historyInsert.close();
            }
            historyInsert = history().prepareInsert(connection, format);
            historyInsertFormat = format;
        }
        history().insert(historyInsert, row, format);
    }

    /** Reads each table that exists with {@code SELECT *}, where {@link #locateForeignTable} finds it. */
    @Override
    public final List<ForeignTable> readForeignTables(List<String> names) throws SQLException {
        List<ForeignTable> tables = new ArrayList<>();
        for (String name : names) {
            Optional<Located> located = locateForeignTable(name);
            if (located.isEmpty()) {
                continue;
            }
            List<String> columns = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT * FROM " + located.get().sqlName())) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
                }
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.put(columns.get(i - 1), foreignValue(rs, i, meta.getColumnTypeName(i)));
                    }
                    rows.add(row);
                }
            }
            tables.add(new ForeignTable(name, located.get().shownName(), columns, rows, foreignZone()));
        }
        return tables;
    }

    /**
     * Where another tool's table is.
     *
     * @param sqlName its name as SQL must write it, quoted and qualified as needed
     * @param shownName its name for messages
     */
    public record Located(String sqlName, String shownName) {}

    /**
     * Finds another tool's table by the name the tool gives it, as this database resolves
     * that name.
     *
     * @param name a plain identifier
     * @return where it is, or empty if there is no such table
     * @throws SQLException on a database error
     */
    protected abstract Optional<Located> locateForeignTable(String name) throws SQLException;

    /**
     * Reads one value of another tool's table; by default as the driver gives it.
     *
     * @param rs the result set, on a row
     * @param column the 1-based column
     * @param typeName the column's type as the database names it
     * @return the value, or null
     * @throws SQLException on a database error
     */
    protected Object foreignValue(ResultSet rs, int column, String typeName) throws SQLException {
        return rs.getObject(column);
    }

    /**
     * Returns the zone of a timestamp stored without one; UTC by default.
     *
     * @throws SQLException on a database error
     */
    protected ZoneId foreignZone() throws SQLException {
        return ZoneOffset.UTC;
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

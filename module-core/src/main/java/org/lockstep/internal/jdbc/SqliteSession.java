package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.protocol.HistoryRow;
import org.lockstep.internal.protocol.HistorySnapshot;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/**
 * One SQLite connection. Transactions are driven with SQL ({@code BEGIN IMMEDIATE},
 * {@code COMMIT}, {@code ROLLBACK}) on a connection in auto-commit mode, which is what
 * SQLite itself sees; the connection's auto-commit flag and busy timeout are restored on
 * close, so a pooled connection goes back as it came.
 */
final class SqliteSession implements Session {
    /** The columns of the history table, in order. */
    static final List<String> COLUMNS = List.of(
            "version", "description", "script", "checksum", "applied_at", "applied_by", "execution_ms");

    /**
     * How long the lock holder lets SQLite's busy handler wait for readers to let go when it
     * needs the exclusive lock (at commit, or to spill a large transaction's cache).
     * Readers hold their shared lock for one short read, so this is a generous bound.
     */
    private static final int HOLDER_BUSY_TIMEOUT_MILLIS = 10_000;

    private final Connection connection;
    private final String table;
    private final String tableName;
    private final String database;
    private final boolean autoCommitWas;
    private int busyTimeoutWas = -1;
    private boolean foreignKeysWereOn;
    private boolean inTransaction;
    private Set<String> violationsBefore;

    SqliteSession(Connection connection, String tableName, String database) throws SQLException {
        this.connection = connection;
        this.tableName = tableName;
        this.table = '"' + tableName + '"';
        this.database = database;
        this.autoCommitWas = connection.getAutoCommit();
        if (!autoCommitWas) {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public HistorySnapshot readHistory() throws SQLException {
        if (inTransaction) {
            return readRows();
        }
        setBusyTimeout(0);
        // One read transaction, so the existence check and the rows come from one snapshot.
        // It only reads, so it never needs to upgrade to a write lock.
        run("BEGIN DEFERRED");
        HistorySnapshot snapshot;
        try {
            snapshot = readRows();
        } catch (SQLException | RuntimeException e) {
            try {
                run("ROLLBACK");
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        run("COMMIT");
        return snapshot;
    }

    private HistorySnapshot readRows() throws SQLException {
        boolean exists = false;
        boolean others = false;
        try (PreparedStatement tables = connection.prepareStatement(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            try (ResultSet rs = tables.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(tableName)) {
                        exists = true;
                    } else {
                        others = true;
                    }
                }
            }
        }
        if (!exists) {
            return new HistorySnapshot(false, List.of(), others);
        }
        List<HistoryRow> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
            checkShape(rs.getMetaData());
            while (rs.next()) {
                rows.add(row(rs));
            }
        }
        return new HistorySnapshot(true, rows, others);
    }

    private void checkShape(ResultSetMetaData meta) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            found.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
        }
        if (!found.equals(new LinkedHashSet<>(COLUMNS))) {
            throw new DatabaseException(DatabaseException.Reason.HISTORY_TABLE_SHAPE, "History table [" + tableName
                    + "] in [" + database + "] has columns " + found + " but Lockstep expects " + COLUMNS
                    + "; it was not changed. Use another table name, or rename the existing table", null);
        }
    }

    private HistoryRow row(ResultSet rs) throws SQLException {
        String version = rs.getString("version");
        try {
            return new HistoryRow(MigrationVersion.parse(version), rs.getString("description"),
                    rs.getString("script"), rs.getString("checksum"), Instant.parse(rs.getString("applied_at")),
                    rs.getString("applied_by"), rs.getLong("execution_ms"));
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            throw new DatabaseException(DatabaseException.Reason.HISTORY_TABLE_SHAPE, "History table [" + tableName
                    + "] in [" + database + "] has a row Lockstep cannot read (version [" + version + "]): " + e, e);
        }
    }

    /**
     * Takes the write lock. Foreign-key enforcement is switched off first, because a script
     * that rebuilds a table (create new, copy, drop old, rename: the only way to add a
     * constraint in SQLite) would otherwise cascade-delete the child rows of the dropped
     * parent; and {@code PRAGMA foreign_keys} is a no-op inside a transaction, so it must
     * change before BEGIN (https://www.sqlite.org/foreignkeys.html, section 2, and
     * https://www.sqlite.org/lang_altertable.html#otheralter). {@link #integrityViolations}
     * then checks what enforcement would have caught, and {@link #close} restores it.
     */
    @Override
    public void beginImmediate() throws SQLException {
        setBusyTimeout(0);
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA foreign_keys")) {
            foreignKeysWereOn = rs.next() && rs.getInt(1) == 1;
        }
        if (foreignKeysWereOn) {
            run("PRAGMA foreign_keys = OFF");
        }
        run("BEGIN IMMEDIATE");
        inTransaction = true;
        setBusyTimeout(HOLDER_BUSY_TIMEOUT_MILLIS);
        violationsBefore = null;
    }

    /**
     * Returns the foreign-key violations the scripts of this transaction introduced. Rows
     * that were already orphaned before the transaction (a database whose application
     * never enforced foreign keys) do not count: only new ones fail a deploy.
     */
    @Override
    public List<String> integrityViolations() throws SQLException {
        if (violationsBefore == null) {
            return List.of(); // no statement ran in this transaction
        }
        List<String> found = new ArrayList<>();
        for (String violation : foreignKeyViolations()) {
            if (!violationsBefore.contains(violation)) {
                found.add(violation);
            }
        }
        if (found.size() > 10) {
            int more = found.size() - 10;
            found = new ArrayList<>(found.subList(0, 10));
            found.add("and [" + more + "] more");
        }
        return found;
    }


    private List<String> foreignKeyViolations() throws SQLException {
        List<String> violations = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                violations.add("table [" + rs.getString(1) + "] row [" + rs.getString(2)
                        + "] references a missing row of [" + rs.getString(3) + "] (foreign key " + rs.getInt(4) + ")");
            }
        }
        return violations;
    }

    @Override
    public void createHistoryTable() throws SQLException {
        run("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "version TEXT NOT NULL PRIMARY KEY, "
                + "description TEXT NOT NULL, "
                + "script TEXT NOT NULL, "
                + "checksum TEXT NOT NULL, "
                + "applied_at TEXT NOT NULL, "
                + "applied_by TEXT NOT NULL, "
                + "execution_ms INTEGER NOT NULL)");
    }

    @Override
    public void execute(SqlStatement statement) throws SQLException {
        if (violationsBefore == null) {
            // Before the first statement of the transaction: what is orphaned already.
            violationsBefore = new HashSet<>(foreignKeyViolations());
        }
        run(statement.sql());
    }

    @Override
    public void insertHistory(HistoryRow row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (version, description, script, checksum, applied_at, applied_by, execution_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, row.version().toString());
            insert.setString(2, row.description());
            insert.setString(3, row.script());
            insert.setString(4, row.checksum());
            insert.setString(5, row.appliedAt().toString());
            insert.setString(6, row.appliedBy());
            insert.setLong(7, row.executionMillis());
            insert.executeUpdate();
        }
    }

    @Override
    public void commit() throws SQLException {
        run("COMMIT");
        inTransaction = false;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (inTransaction) {
                inTransaction = false;
                run("ROLLBACK");
            }
            if (busyTimeoutWas >= 0) {
                run("PRAGMA busy_timeout = " + busyTimeoutWas);
            }
            if (foreignKeysWereOn) {
                run("PRAGMA foreign_keys = ON");
            }
            if (!autoCommitWas) {
                connection.setAutoCommit(false);
            }
        } finally {
            connection.close();
        }
    }

    private void setBusyTimeout(int millis) throws SQLException {
        if (busyTimeoutWas < 0) {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("PRAGMA busy_timeout")) {
                busyTimeoutWas = rs.next() ? rs.getInt(1) : 0;
            }
        }
        run("PRAGMA busy_timeout = " + millis);
    }

    private void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

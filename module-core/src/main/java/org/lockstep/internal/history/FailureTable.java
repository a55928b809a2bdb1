package org.lockstep.internal.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of failed attempts beside the history table, {@code <history>_failures}: one row
 * per migration that failed and was rolled back, written after the rollback while its worker
 * still held the migration lock (so every later lock holder sees it), and read by workers that
 * find the same script pending, which then fail at once with the recorded error instead of
 * running the deploy again. It is created on the first failure, in the history table's schema;
 * its rows are a log and are never changed. A crash writes no row, so the next worker retries.
 *
 * <p>Like the history table it is the same for every database; a dialect supplies its name and
 * how it stores a timestamp ({@link HistoryTable.Storage}). The history table's own columns are
 * not touched.
 */
public final class FailureTable {
    /** What the failure table's name adds to the history table's. */
    public static final String SUFFIX = "_failures";

    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of(
            "version",
            "script",
            "checksum",
            "earlier_checksum",
            "line",
            "statement",
            "sql_state",
            "error_code",
            "message",
            "failed_at",
            "failed_by");

    private static final System.Logger LOG = System.getLogger(FailureTable.class.getName());

    private final String sqlName;
    private final String shownName;
    private final HistoryTable.Storage storage;

    /**
     * Creates the table's description.
     *
     * @param sqlName the table's name as SQL must write it, quoted and qualified as needed
     * @param shownName the table's name for messages
     * @param storage how this database stores a timestamp
     */
    public FailureTable(String sqlName, String shownName, HistoryTable.Storage storage) {
        this.sqlName = sqlName;
        this.shownName = shownName;
        this.storage = storage;
    }

    /** Returns the statement that creates the table if it does not exist. */
    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + sqlName + " ("
                + "version TEXT NOT NULL, "
                + "script TEXT NOT NULL, "
                + "checksum TEXT NOT NULL, "
                + "earlier_checksum TEXT NOT NULL, "
                + "line INTEGER NOT NULL, "
                + "statement TEXT NOT NULL, "
                + "sql_state TEXT NOT NULL, "
                + "error_code INTEGER NOT NULL, "
                + "message TEXT NOT NULL, "
                + "failed_at " + storage.timestampType() + " NOT NULL, "
                + "failed_by TEXT NOT NULL)";
    }

    /**
     * Reads every row of the table, which exists. A row that cannot be read is skipped and
     * logged: the record only saves work, so it must never stop a deploy.
     *
     * @param connection the connection
     * @return the rows, in no particular order
     * @throws SQLException on a database error
     */
    public List<FailureRecord> readRows(Connection connection) throws SQLException {
        List<FailureRecord> rows = new ArrayList<>();
        // Storage reads a timestamp from a column named applied_at, as in the history table.
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT version, script, checksum, earlier_checksum, line,"
                        + " statement, sql_state, error_code, message, failed_at AS applied_at, failed_by FROM "
                        + sqlName)) {
            while (rs.next()) {
                String version = rs.getString("version");
                try {
                    Instant failedAt = storage.read().at(rs);
                    if (failedAt == null) {
                        throw new IllegalArgumentException("failed_at is null");
                    }
                    rows.add(new FailureRecord(
                            org.lockstep.MigrationVersion.parse(version),
                            rs.getString("script"),
                            rs.getString("checksum"),
                            rs.getString("earlier_checksum"),
                            rs.getInt("line"),
                            rs.getString("statement"),
                            rs.getString("sql_state"),
                            rs.getInt("error_code"),
                            rs.getString("message"),
                            failedAt,
                            rs.getString("failed_by")));
                } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            () -> "Skipped a row of [" + shownName + "] that cannot be read (version [" + version
                                    + "]): " + e);
                }
            }
        }
        return rows;
    }

    /**
     * Creates the table if absent and records a failed attempt.
     *
     * @param connection the connection, inside the transaction that holds the migration lock
     * @param row the failed attempt
     * @throws SQLException on a database error
     */
    public void insert(Connection connection, FailureRecord row) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.setEscapeProcessing(false);
            create.execute(createSql());
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + sqlName
                + " (version, script, checksum, earlier_checksum, line, statement, sql_state, error_code, message,"
                + " failed_at, failed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, row.version().toString());
            insert.setString(2, row.script());
            insert.setString(3, row.checksum());
            insert.setString(4, row.earlierChecksum());
            insert.setInt(5, row.line());
            insert.setString(6, row.statement());
            insert.setString(7, row.sqlState());
            insert.setInt(8, row.errorCode());
            insert.setString(9, row.message());
            storage.write().at(insert, 10, row.failedAt());
            insert.setString(11, row.failedBy());
            insert.executeUpdate();
        }
    }
}

package org.lockstep.internal.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationVersion;

/**
 * The history table, the same for every database: its columns, how they are created, read,
 * checked and written. A dialect supplies only what differs ({@link Storage}: the types of two
 * columns and how a timestamp is stored) and where the table is (its SQL name, and whether it
 * exists, which each database's catalog answers its own way).
 *
 * <p>{@link #FORMAT} is the table's format; a table is recognised as that format by its
 * columns. A later format (a new column) is recognised the same way and upgraded in place, so
 * a history is never read in a shape this code does not know.
 */
public final class HistoryTable {
    /** The columns of the history table, in order. */
    public static final List<String> COLUMNS =
            List.of("version", "description", "script", "checksum", "applied_at", "applied_by", "execution_ms");

    /** The format this code reads and writes: the columns above. */
    public static final int FORMAT = 1;

    /**
     * What one database stores differently.
     *
     * @param timestampType the SQL type of {@code applied_at}, e.g. {@code TEXT} or {@code TIMESTAMPTZ}
     * @param millisType the SQL type of {@code execution_ms}, e.g. {@code INTEGER} or {@code BIGINT}
     * @param read reads {@code applied_at} of the current row; null if the column is null
     * @param write binds {@code applied_at} of an insert
     * @param typeProblem says why the column types of an existing table cannot be read, if they
     *     cannot (given the 1-based index of {@code applied_at}), else null
     */
    public record Storage(String timestampType, String millisType, Read read, Write write, TypeCheck typeProblem) {
        /** Accepts whatever types the table has: the database converts on read. */
        public static final TypeCheck ANY_TYPE = (meta, appliedAt) -> null;

        /** Reads a timestamp; may throw {@link DateTimeParseException} for stored text. */
        @FunctionalInterface
        public interface Read {
            /** Reads {@code applied_at} of the current row, or null. */
            Instant at(ResultSet rs) throws SQLException;
        }

        /** Binds a timestamp. */
        @FunctionalInterface
        public interface Write {
            /** Binds {@code at} as parameter {@code index}. */
            void at(PreparedStatement insert, int index, Instant at) throws SQLException;
        }

        /** Checks the column types of an existing table. */
        @FunctionalInterface
        public interface TypeCheck {
            /** Returns why the types cannot be read, or null. */
            String problem(ResultSetMetaData meta, int appliedAt) throws SQLException;
        }
    }

    private final String sqlName;
    private final String shownName;
    private final String database;
    private final Storage storage;

    /**
     * Creates the table's description.
     *
     * @param sqlName the table's name as SQL must write it, quoted and qualified as needed
     * @param shownName the table's name for messages
     * @param database the database, for messages
     * @param storage what this database stores differently
     */
    public HistoryTable(String sqlName, String shownName, String database, Storage storage) {
        this.sqlName = sqlName;
        this.shownName = shownName;
        this.database = database;
        this.storage = storage;
    }

    /** Returns the table's name for messages. */
    public String shownName() {
        return shownName;
    }

    /** Returns the statement that creates the table if it does not exist. */
    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + sqlName + " ("
                + "version TEXT NOT NULL PRIMARY KEY, "
                + "description TEXT NOT NULL, "
                + "script TEXT NOT NULL, "
                + "checksum TEXT NOT NULL, "
                + "applied_at " + storage.timestampType() + " NOT NULL, "
                + "applied_by TEXT NOT NULL, "
                + "execution_ms " + storage.millisType() + " NOT NULL)";
    }

    /**
     * Reads every row of the table, which exists, checking its shape.
     *
     * @param connection the connection, inside the read's transaction
     * @return the rows, in no particular order
     * @throws SQLException on a database error
     * @throws DatabaseException with {@link DatabaseException.Reason#HISTORY_TABLE_SHAPE} if the
     *     table has other columns, or a row cannot be read
     */
    public List<HistoryRow> readRows(Connection connection) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + sqlName)) {
            checkShape(rs.getMetaData());
            while (rs.next()) {
                rows.add(row(rs));
            }
        }
        return rows;
    }

    private void checkShape(ResultSetMetaData meta) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            found.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
        }
        if (!found.equals(new LinkedHashSet<>(COLUMNS))) {
            throw shape(
                    "has columns " + found + " but Lockstep expects " + COLUMNS + "; it was not changed. "
                            + ForeignShape.of(found)
                                    .map(ForeignShape::adoptInstead)
                                    .orElse("Use another table name, or rename the existing table"),
                    null);
        }
        String problem =
                storage.typeProblem().problem(meta, found.stream().toList().indexOf("applied_at") + 1);
        if (problem != null) {
            throw shape(problem, null);
        }
    }

    private HistoryRow row(ResultSet rs) throws SQLException {
        String version = rs.getString("version");
        try {
            Instant appliedAt = storage.read().at(rs);
            if (appliedAt == null) {
                throw new NullPointerException("applied_at is null");
            }
            return new HistoryRow(
                    MigrationVersion.parse(version),
                    rs.getString("description"),
                    rs.getString("script"),
                    rs.getString("checksum"),
                    appliedAt,
                    rs.getString("applied_by"),
                    rs.getLong("execution_ms"));
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            throw shape("has a row Lockstep cannot read (version [" + version + "]): " + e, e);
        }
    }

    private DatabaseException shape(String problem, Throwable cause) {
        return new DatabaseException(
                DatabaseException.Reason.HISTORY_TABLE_SHAPE,
                "History table [" + shownName + "] in [" + database + "] " + problem,
                cause);
    }

    /**
     * Records an applied migration.
     *
     * @param connection the connection, inside the deploy's transaction
     * @param row the row
     * @throws SQLException on a database error
     */
    public void insert(Connection connection, HistoryRow row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + sqlName
                + " (version, description, script, checksum, applied_at, applied_by, execution_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, row.version().toString());
            insert.setString(2, row.description());
            insert.setString(3, row.script());
            insert.setString(4, row.checksum());
            storage.write().at(insert, 5, row.appliedAt());
            insert.setString(6, row.appliedBy());
            insert.setLong(7, row.executionMillis());
            insert.executeUpdate();
        }
    }
}

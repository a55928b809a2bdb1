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
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationVersion;

/**
 * The history table, the same for every database: its columns, how they are created, read,
 * checked and written. A dialect supplies only what differs ({@link Storage}: the types of
 * two columns, how a timestamp is stored, and how a table of format 1 is upgraded) and where
 * the table is (its SQL name, and whether it exists, which each database's catalog answers
 * its own way).
 *
 * <p>Formats. A table's format is recognised by its columns, and each format adds columns to
 * the one before:
 *
 * <ul>
 *   <li>Format 1 ({@link #FORMAT_1_COLUMNS}), what Lockstep wrote before repeatable
 *       migrations: one row per applied version, {@code version} its primary key.
 *   <li>Format 2 ({@link #COLUMNS}, {@link #FORMAT}): format 1's columns, then {@code type}
 *       ({@code SQL}, {@code JAVA} or {@code REPEATABLE}) and {@code applied_rank} (1, 2, ...
 *       in the order of application, the primary key). {@code version} is null for a repeatable
 *       migration, whose every application is a row of its own, and unique otherwise.
 * </ul>
 *
 * A table of format 1 is read and written as it is, and upgraded only when a deploy must
 * record a row format 1 cannot hold (a repeatable migration's): under the migration lock, in
 * the deploy's transaction, so the upgrade commits with that deploy or not at all. A table with
 * every column of the current format and more is of a newer format, written by a newer release:
 * it is refused, never altered. So is a table of any other shape.
 */
public final class HistoryTable {
    /** The columns of format 1, in order. */
    public static final List<String> FORMAT_1_COLUMNS =
            List.of("version", "description", "script", "checksum", "applied_at", "applied_by", "execution_ms");

    /** The columns of the current format, in order: format 1's, then {@code type} and {@code applied_rank}. */
    public static final List<String> COLUMNS = Stream.concat(
                    FORMAT_1_COLUMNS.stream(), Stream.of("type", "applied_rank"))
            .toList();

    /** The format this code creates and writes: the columns above. */
    public static final int FORMAT = 2;

    /**
     * What one database stores differently.
     *
     * @param timestampType the SQL type of {@code applied_at}, e.g. {@code TEXT} or {@code TIMESTAMPTZ}
     * @param integerType the SQL type of {@code execution_ms} and {@code applied_rank}, e.g.
     *     {@code INTEGER} or {@code BIGINT}
     * @param read reads {@code applied_at} of the current row; null if the column is null
     * @param write binds {@code applied_at} of an insert
     * @param typeProblem says why the column types of an existing table cannot be read, if they
     *     cannot (given the 1-based index of {@code applied_at}), else null
     * @param upgrade turns a table of format 1 into one of the current format
     */
    public record Storage(
            String timestampType, String integerType, Read read, Write write, TypeCheck typeProblem, Upgrade upgrade) {
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

    /**
     * How a database turns a table of format 1 into one of the current format, inside the
     * current transaction: the columns {@code type} and {@code applied_rank} added and filled
     * in as {@code rows} says, {@code version} no longer the key (it may be null, and stays
     * unique), {@code applied_rank} the key. Every other value stays as it is.
     */
    @FunctionalInterface
    public interface Upgrade {
        /**
         * Upgrades the table.
         *
         * @param connection the connection, inside the deploy's transaction, holding the lock
         * @param table the table
         * @param rows every row of the table: its version as stored, and its type and rank
         * @throws SQLException on a database error
         */
        void run(Connection connection, HistoryTable table, List<Ranked> rows) throws SQLException;
    }

    /**
     * What the upgrade writes into a row of format 1.
     *
     * @param version the row's version, as the table holds it
     * @param type its type
     * @param rank its rank
     */
    public record Ranked(String version, HistoryRow.Type type, long rank) {}

    /**
     * One read of the table.
     *
     * @param format the format it is of
     * @param rows its rows, in no particular order
     */
    public record Contents(int format, List<HistoryRow> rows) {
        /** Copies the rows. */
        public Contents {
            rows = List.copyOf(rows);
        }
    }

    private final String sqlName;
    private final String plainName;
    private final String shownName;
    private final String database;
    private final Storage storage;

    /**
     * Creates the table's description.
     *
     * @param sqlName the table's name as SQL must write it, quoted and qualified as needed
     * @param plainName the table's own name, unquoted and unqualified (what a rename names)
     * @param shownName the table's name for messages
     * @param database the database, for messages
     * @param storage what this database stores differently
     */
    public HistoryTable(String sqlName, String plainName, String shownName, String database, Storage storage) {
        this.sqlName = sqlName;
        this.plainName = plainName;
        this.shownName = shownName;
        this.database = database;
        this.storage = storage;
    }

    /** Returns the table's name as SQL must write it. */
    public String sqlName() {
        return sqlName;
    }

    /** Returns the table's own name, unquoted and unqualified. */
    public String plainName() {
        return plainName;
    }

    /** Returns the table's name for messages. */
    public String shownName() {
        return shownName;
    }

    /** Returns the statement that creates the table, in the current format, if it does not exist. */
    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + sqlName + " (" + columnDefinitions() + ")";
    }

    /**
     * Returns the column definitions of the current format, as {@code CREATE TABLE} lists them:
     * for an upgrade that builds the table anew.
     */
    public String columnDefinitions() {
        return "version TEXT UNIQUE, "
                + "description TEXT NOT NULL, "
                + "script TEXT NOT NULL, "
                + "checksum TEXT NOT NULL, "
                + "applied_at " + storage.timestampType() + " NOT NULL, "
                + "applied_by TEXT NOT NULL, "
                + "execution_ms " + storage.integerType() + " NOT NULL, "
                + "type TEXT NOT NULL, "
                + "applied_rank " + storage.integerType() + " NOT NULL PRIMARY KEY";
    }

    /**
     * Reads every row of the table, which exists, checking its shape and recognising its format.
     *
     * @param connection the connection, inside the read's transaction
     * @return the format and the rows
     * @throws SQLException on a database error
     * @throws DatabaseException with {@link DatabaseException.Reason#HISTORY_TABLE_SHAPE} if the
     *     table is of no format this code knows (another tool's, or a newer Lockstep's), or a
     *     row cannot be read
     */
    public Contents read(Connection connection) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        int format;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + sqlName)) {
            format = format(rs.getMetaData());
            while (rs.next()) {
                rows.add(row(rs, format));
            }
        }
        if (format == 1) {
            rows = rankedByTime(rows);
        }
        return new Contents(format, rows);
    }

    /**
     * Recognises the table's format by its columns, or refuses it. Every format has all the
     * columns of the format before it: a table with every column of the current format and
     * more was written by a newer release.
     */
    private int format(ResultSetMetaData meta) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            found.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
        }
        int format;
        if (found.equals(Set.copyOf(COLUMNS))) {
            format = FORMAT;
        } else if (found.equals(Set.copyOf(FORMAT_1_COLUMNS))) {
            format = 1;
        } else if (found.containsAll(COLUMNS)) {
            List<String> more = found.stream().filter(c -> !COLUMNS.contains(c)).toList();
            throw shape(
                    "is of a newer format than this release of Lockstep knows (format " + FORMAT + ", columns "
                            + COLUMNS + "): it has the columns " + more + " as well, so a newer release wrote it."
                            + " It was not changed; migrate with that release of Lockstep or a later one",
                    null);
        } else {
            throw shape(
                    "has columns " + found + " but Lockstep expects " + COLUMNS + " (or, from before format "
                            + FORMAT + ", " + FORMAT_1_COLUMNS + "); it was not changed. "
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
        return format;
    }

    private HistoryRow row(ResultSet rs, int format) throws SQLException {
        String version = rs.getString("version");
        try {
            Instant appliedAt = storage.read().at(rs);
            if (appliedAt == null) {
                throw new NullPointerException("applied_at is null");
            }
            String script = rs.getString("script");
            HistoryRow.Type type;
            long rank;
            if (format == 1) {
                // Format 1 knew versioned migrations only; a row naming a class is a Java one.
                type = script.endsWith(".sql") ? HistoryRow.Type.SQL : HistoryRow.Type.JAVA;
                rank = 0;
            } else {
                type = HistoryRow.Type.valueOf(rs.getString("type"));
                rank = rs.getLong("applied_rank");
            }
            return new HistoryRow(
                    version == null ? null : MigrationVersion.parse(version),
                    rs.getString("description"),
                    script,
                    rs.getString("checksum"),
                    appliedAt,
                    rs.getString("applied_by"),
                    rs.getLong("execution_ms"),
                    type,
                    rank);
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            throw shape("has a row Lockstep cannot read (version [" + version + "]): " + e, e);
        }
    }

    /**
     * Ranks the rows of a table of format 1, which records no order: by when each was applied,
     * then by version (the migrations of one deploy may share a millisecond).
     */
    private static List<HistoryRow> rankedByTime(List<HistoryRow> rows) {
        List<HistoryRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(HistoryRow::appliedAt).thenComparing(HistoryRow::version));
        List<HistoryRow> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(sorted.get(i).ranked(i + 1));
        }
        return ranked;
    }

    private DatabaseException shape(String problem, Throwable cause) {
        return new DatabaseException(
                DatabaseException.Reason.HISTORY_TABLE_SHAPE,
                "History table [" + shownName + "] in [" + database + "] " + problem,
                cause);
    }

    /**
     * Upgrades a table of format 1 to the current format, in the current transaction, keeping
     * every row: each gets its type and its rank by when it was applied (as {@link #read} ranks
     * them).
     *
     * @param connection the connection, inside the deploy's transaction, holding the lock
     * @param rows the table's rows, as {@link #read} returned them under the lock
     * @throws SQLException on a database error
     */
    public void upgrade(Connection connection, List<HistoryRow> rows) throws SQLException {
        List<Ranked> ranked = new ArrayList<>(rows.size());
        for (HistoryRow row : rankedByTime(rows)) {
            ranked.add(new Ranked(row.version().toString(), row.type(), row.rank()));
        }
        storage.upgrade().run(connection, this, ranked);
    }

    /**
     * Prepares the insert of an applied migration's row, ranked after every row the table
     * holds: one statement for all the rows a deploy records ({@link #insert}).
     *
     * @param connection the connection, inside the deploy's transaction
     * @param format the table's format: a table of format 1 records the columns it has
     * @return the statement, which the caller closes
     * @throws SQLException on a database error
     */
    public PreparedStatement prepareInsert(Connection connection, int format) throws SQLException {
        // The leading comment keeps sqlite-jdbc from querying last_insert_rowid() after every row
        // (its generated-keys support, for statements that start with INSERT), which nothing
        // reads: a third of the time of the inserts (50 rows, best of 200: 285 us against 430 us).
        return connection.prepareStatement("/* lockstep */ INSERT INTO " + sqlName
                + " (version, description, script, checksum, applied_at, applied_by, execution_ms"
                + (format == 1
                        ? ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                        : ", type, applied_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(applied_rank), 0)"
                                + " + 1 FROM " + sqlName + "))"));
    }

    /**
     * Records an applied migration, ranked after every row the table holds.
     *
     * @param insert the statement {@link #prepareInsert} made for {@code format}
     * @param row the row
     * @param format the table's format: a table of format 1 records the columns it has
     * @throws SQLException on a database error
     * @throws IllegalArgumentException if format 1 cannot hold the row (a repeatable migration's)
     */
    public void insert(PreparedStatement insert, HistoryRow row, int format) throws SQLException {
        if (format == 1 && row.version() == null) {
            throw new IllegalArgumentException("History format 1 cannot hold the row of [" + row.script() + "]");
        }
        insert.setString(1, row.version() == null ? null : row.version().toString());
        insert.setString(2, row.description());
        insert.setString(3, row.script());
        insert.setString(4, row.checksum());
        storage.write().at(insert, 5, row.appliedAt());
        insert.setString(6, row.appliedBy());
        insert.setLong(7, row.executionMillis());
        if (format != 1) {
            insert.setString(8, row.type().name());
        }
        insert.executeUpdate();
    }
}

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private final Connection connection;
    private final String table;
    private final String tableName;
    private final String database;
    private final boolean autoCommitWas;
    private int busyTimeoutWas = -1;
    private boolean foreignKeysWereOn;
    private boolean inTransaction;
    private Map<ForeignKeyViolation, Integer> violationsBefore;

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
                    // SQLite resolves names without regard to ASCII case, quoted or not
                    // (https://www.sqlite.org/lang_keywords.html): so must the lookup.
                    if (rs.getString(1).equalsIgnoreCase(tableName)) {
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
        violationsBefore = null;
        // The busy timeout stays 0 for the whole transaction: a COMMIT that must wait for
        // readers fails busy at once and the protocol polls it, counting the wait against
        // the lock timeout. (A large transaction's cache spill that cannot get the exclusive
        // lock is skipped by SQLite, not failed, so statements never wait.)
    }

    /**
     * Returns the foreign-key violations the scripts of this transaction introduced. Rows
     * that were already orphaned before the transaction (a database whose application
     * never enforced foreign keys) do not count: only new ones fail a deploy. A violation is
     * known by what it is (child table, parent table, the foreign key's columns and the
     * child's values in them), never by rowid: a table rebuild renumbers rows, and a
     * {@code WITHOUT ROWID} table has none. Counts are compared, so a second orphan with the
     * same values as an old one is new.
     */
    @Override
    public List<String> integrityViolations() throws SQLException {
        if (violationsBefore == null) {
            return List.of(); // no statement ran in this transaction
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<ForeignKeyViolation, Integer> entry : foreignKeyViolations().entrySet()) {
            int excess = entry.getValue() - violationsBefore.getOrDefault(entry.getKey(), 0);
            if (excess > 0) {
                found.add(entry.getKey().describe(excess));
            }
        }
        if (found.size() > 10) {
            int more = found.size() - 10;
            found = new ArrayList<>(found.subList(0, 10));
            found.add("and [" + more + "] more");
        }
        return found;
    }

    /**
     * One kind of foreign-key violation: rows of {@code table} whose values in the foreign
     * key's {@code columns} find no row in {@code parent}.
     *
     * @param table the child table, lower case
     * @param parent the parent table, lower case
     * @param columns the child's columns of the foreign key, lower case, in order
     * @param values the child's values in them, as SQLite's {@code quote()} shows them
     * @param shownTable the child table as named in the schema, for messages
     * @param shownParent the parent as named in the foreign key, for messages
     * @param row the rowid, or primary key, of one such row, for messages
     * @param foreignKey the foreign key's id in {@code PRAGMA foreign_key_list}, for messages
     */
    private record ForeignKeyViolation(String table, String parent, List<String> columns, List<String> values,
            String shownTable, String shownParent, String row, int foreignKey) {

        @Override
        public boolean equals(Object other) {
            return other instanceof ForeignKeyViolation that && table.equals(that.table)
                    && parent.equals(that.parent) && columns.equals(that.columns) && values.equals(that.values);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(table, parent, columns, values);
        }

        String describe(int rows) {
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                pairs.add(columns.get(i) + "=" + values.get(i));
            }
            return "table [" + shownTable + "] row [" + row + "] references a missing row of [" + shownParent
                    + "] (foreign key " + foreignKey + ": " + String.join(", ", pairs) + ")"
                    + (rows > 1 ? " and [" + (rows - 1) + "] more rows like it" : "");
        }
    }

    /**
     * The violations now, by kind, with how many rows each. {@code PRAGMA foreign_key_check}
     * finds which foreign keys are violated; a query per violated key then names the rows by
     * their values. It finds the parent as the check does: the parent column's affinity and
     * collation applied to the child's value ({@code p.k = +c.fk}: the unary plus strips the
     * child column's affinity, https://www.sqlite.org/datatype3.html#affinity_of_expressions).
     */
    private Map<ForeignKeyViolation, Integer> foreignKeyViolations() throws SQLException {
        record ViolatedKey(String table, int id) {
        }
        Map<ViolatedKey, List<Object>> rowidsByKey = new java.util.LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                rowidsByKey.computeIfAbsent(new ViolatedKey(rs.getString(1), rs.getInt(4)), k -> new ArrayList<>())
                        .add(rs.getObject(2));
            }
        }
        Map<ForeignKeyViolation, Integer> counts = new java.util.LinkedHashMap<>();
        for (Map.Entry<ViolatedKey, List<Object>> entry : rowidsByKey.entrySet()) {
            ViolatedKey key = entry.getKey();
            boolean withoutRowid = entry.getValue().get(0) == null;
            int checked = countViolations(key.table(), key.id(), withoutRowid, counts);
            int residual = entry.getValue().size() - checked;
            if (residual > 0) {
                // Should not happen: the query disagrees with SQLite's check. Count what is left
                // under one kind per key, so new violations still show, if less precisely.
                counts.merge(new ForeignKeyViolation(key.table().toLowerCase(Locale.ROOT), "?", List.of(),
                        List.of(), key.table(), "?", String.valueOf(entry.getValue().get(0)), key.id()),
                        residual, Integer::sum);
            }
        }
        return counts;
    }

    /** Adds the violations of one foreign key to {@code counts}; returns how many rows violate it. */
    private int countViolations(String child, int id, boolean withoutRowid, Map<ForeignKeyViolation, Integer> counts)
            throws SQLException {
        String parent = null;
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA foreign_key_list(" + quote(child) + ")")) {
            while (rs.next()) {
                if (rs.getInt("id") == id) {
                    parent = rs.getString("table");
                    from.add(rs.getString("from"));
                    to.add(rs.getString("to"));
                }
            }
        }
        if (parent == null) {
            return 0;
        }
        List<String> parentKey = to.contains(null) ? primaryKey(parent) : to;
        boolean parentExists = parentKey.size() == from.size() && tableExists(parent);
        List<String> rowKey = withoutRowid ? primaryKey(child) : List.of("rowid");
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String column : from) {
            sql.append("quote(c.").append(quote(column)).append("), ");
        }
        sql.append("count(*), min(");
        for (int i = 0; i < rowKey.size(); i++) {
            sql.append(i == 0 ? "" : " || ', ' || ").append("quote(c.").append(quote(rowKey.get(i))).append(')');
        }
        sql.append(") FROM ").append(quote(child)).append(" AS c WHERE ");
        for (String column : from) {
            sql.append("c.").append(quote(column)).append(" IS NOT NULL AND ");
        }
        if (parentExists) {
            sql.append("NOT EXISTS (SELECT 1 FROM ").append(quote(parent)).append(" AS p WHERE ");
            for (int i = 0; i < from.size(); i++) {
                sql.append(i == 0 ? "" : " AND ").append("p.").append(quote(parentKey.get(i))).append(" = +c.")
                        .append(quote(from.get(i)));
            }
            sql.append(')');
        } else {
            sql.append("1");
        }
        sql.append(" GROUP BY ");
        for (int i = 1; i <= from.size(); i++) {
            sql.append(i == 1 ? "" : ", ").append(i);
        }
        List<String> columns = from.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        int rows = 0;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql.toString())) {
            while (rs.next()) {
                List<String> values = new ArrayList<>(from.size());
                for (int i = 1; i <= from.size(); i++) {
                    values.add(rs.getString(i));
                }
                int count = rs.getInt(from.size() + 1);
                counts.merge(new ForeignKeyViolation(child.toLowerCase(Locale.ROOT), parent.toLowerCase(Locale.ROOT),
                        columns, values, child, parent, rs.getString(from.size() + 2), id), count, Integer::sum);
                rows += count;
            }
        }
        return rows;
    }

    private List<String> primaryKey(String table) throws SQLException {
        List<String> key = new ArrayList<>();
        java.util.SortedMap<Integer, String> byPosition = new java.util.TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
            while (rs.next()) {
                if (rs.getInt("pk") > 0) {
                    byPosition.put(rs.getInt("pk"), rs.getString("name"));
                }
            }
        }
        key.addAll(byPosition.values());
        return key;
    }

    private boolean tableExists(String table) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
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
            violationsBefore = foreignKeyViolations();
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

package org.lockstep.internal.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.lockstep.internal.sql.Names;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sql.Writes;

/**
 * The foreign-key check of a deploy, which runs with enforcement off (see {@link SqliteSession}):
 * the violations the deploy introduced, and only those. Rows already orphaned before the
 * deploy (a database whose application never enforced foreign keys) do not count.
 *
 * <p>A violation is known by what it is: child table, parent table, the foreign key's columns
 * and the child's values in them; never by rowid, which a table rebuild renumbers and a
 * {@code WITHOUT ROWID} table does not have. Counts are compared, so a second orphan with the
 * values of an old one is new. {@code PRAGMA foreign_key_check} finds which foreign keys are
 * violated; a query per violated key then names the rows by their values, finding the parent
 * as the check does: the parent column's affinity and collation applied to the child's value
 * ({@code p.k = +c.fk}: the unary plus strips the child column's affinity,
 * https://www.sqlite.org/datatype3.html#affinity_of_expressions).
 *
 * <p>The check costs what the deploy changes, not what the database holds: before each
 * statement it counts the violations of the tables that statement may change ({@link Writes},
 * and the tables their triggers write) and of the tables whose foreign keys reference them,
 * once per table, with {@code PRAGMA foreign_key_check(table)}; before commit it counts those
 * tables again. A deploy that only adds an index checks nothing; the memory held is the
 * violations of the changed tables only. What cannot be read from a statement's tokens (a
 * Java migration, a write to SQLite's own schema) makes the check cover every table; Lockstep's
 * own history insert counts as a write of the history table, whose triggers a script may have
 * added. Names are keyed as SQLite matches them ({@link Names#key}: ASCII case only), in the
 * main database (a TEMP table of the same name is not the table), and a rename carries the
 * counts taken before it over to the new names.
 */
final class ForeignKeyCheck {
    private static final int SHOWN = 10;
    private static final String MISMATCH = "foreign key mismatch";

    private final Connection connection;
    // The child tables whose violations were counted before the deploy changed them, keyed by
    // Names.key: a table a statement changes, and every table whose foreign keys reference it.
    private final Set<String> units = new HashSet<>();
    private final Map<Violation, Integer> before = new HashMap<>();
    private boolean everything;

    ForeignKeyCheck(Connection connection) {
        this.connection = connection;
    }

    /**
     * Counts what is violated already in what {@code statement} may change, before it runs:
     * the tables it writes, the tables their triggers write, and the tables whose foreign keys
     * reference any of those. A statement that changes no table costs nothing; one whose
     * target cannot be read from its tokens makes the check cover every table.
     */
    void beforeStatement(SqlStatement statement) throws SQLException {
        if (!everything) {
            Optional<String> index = Writes.droppedIndex(statement);
            before(index.isPresent() ? indexedTable(index.get()) : Writes.of(statement));
        }
        Writes.rename(statement).ifPresent(this::renamed);
    }

    // A rename changes what the violations counted before are known by: the old orphans of a
    // renamed child table, of a child whose parent was renamed (SQLite rewrites the child's
    // foreign key) or in a renamed column are the same orphans under their new names.
    private void renamed(Writes.Rename rename) {
        Map<Violation, Integer> moved = new HashMap<>();
        before.forEach((violation, count) -> moved.merge(violation.renamed(rename), count, Integer::sum));
        before.clear();
        before.putAll(moved);
        if (rename.column() == null && units.remove(rename.table())) {
            units.add(rename.to());
        }
    }

    /**
     * Counts what is violated already before a change whose statements cannot be read (a Java
     * migration's): the check covers every table from now on.
     */
    void beforeUnreadChange() throws SQLException {
        if (!everything) {
            before(Writes.EVERYTHING);
        }
    }

    /**
     * Counts what is violated already before Lockstep itself writes {@code table} (its history),
     * whose triggers, which a script may have added, can write other tables.
     */
    void beforeOwnWrite(String table) throws SQLException {
        if (everything) {
            return;
        }
        // Only what the triggers write can orphan: an INSERT of rows that reference nothing
        // orphans nothing. A history table without triggers costs one look-up.
        String key = Names.key(table);
        Set<String> written = withTriggers(Set.of(key));
        if (written == null) {
            before(Writes.EVERYTHING);
        } else {
            written.remove(key);
            if (!written.isEmpty()) {
                before(new Writes(false, written));
            }
        }
    }

    private void before(Writes writes) throws SQLException {
        Set<String> tables = writes.everything() ? null : withTriggers(writes.tables());
        if (tables == null) {
            everything = true;
            // The tables counted before earlier statements of the deploy changed them keep those
            // counts (counted now, what those statements orphaned would pass as old); every other
            // table, which no earlier statement could change, is counted now.
            for (Map.Entry<Violation, Integer> now : violations(null).entrySet()) {
                if (!units.contains(now.getKey().table())) {
                    before.put(now.getKey(), now.getValue());
                }
            }
            return;
        }
        for (String table : tables) {
            for (String unit : unitsOf(table)) {
                if (units.add(unit)) {
                    violations(unit).forEach((violation, count) -> before.merge(violation, count, Integer::sum));
                }
            }
        }
    }

    /**
     * Returns a description of each kind of violation the deploy introduced in what it
     * changed, at most ten and a count of the rest; empty if none, or if it changed no table.
     */
    List<String> introduced() throws SQLException {
        if (!everything && units.isEmpty()) {
            return List.of();
        }
        Map<Violation, Integer> after = new LinkedHashMap<>();
        if (everything) {
            after.putAll(violations(null));
        } else {
            for (String unit : units) {
                violations(unit).forEach((violation, count) -> after.merge(violation, count, Integer::sum));
            }
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<Violation, Integer> entry : after.entrySet()) {
            int excess = entry.getValue() - before.getOrDefault(entry.getKey(), 0);
            if (excess > 0) {
                found.add(entry.getKey().describe(excess));
            }
        }
        if (found.size() > SHOWN) {
            int more = found.size() - SHOWN;
            found = new ArrayList<>(found.subList(0, SHOWN));
            found.add("and [" + more + "] more");
        }
        return found;
    }

    // The table an index belongs to: dropping a unique index can leave a foreign key whose
    // parent it was without a usable key. An index not found changes nothing.
    private Writes indexedTable(String index) throws SQLException {
        try (PreparedStatement table = connection.prepareStatement(
                "SELECT tbl_name FROM main.sqlite_schema WHERE type = 'index' AND name = ? COLLATE NOCASE")) {
            table.setString(1, index);
            try (ResultSet rs = table.executeQuery()) {
                return rs.next() ? new Writes(false, Set.of(Names.key(rs.getString(1)))) : Writes.NONE;
            }
        }
    }

    // The tables and, recursively, the tables their triggers write; null if a trigger may write anything.
    private Set<String> withTriggers(Set<String> tables) throws SQLException {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>(tables);
        while (!work.isEmpty()) {
            String table = work.pop();
            if (!all.add(table)) {
                continue;
            }
            // A TEMP trigger (one a script or the application's connection set-up made) can
            // fire on a table of the main database too.
            try (PreparedStatement triggers = connection.prepareStatement(
                    "SELECT sql FROM main.sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE"
                            + " UNION ALL SELECT sql FROM sqlite_temp_schema"
                            + " WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE")) {
                triggers.setString(1, table);
                try (ResultSet rs = triggers.executeQuery()) {
                    while (rs.next()) {
                        Writes written = Writes.ofTrigger(rs.getString(1));
                        if (written.everything()) {
                            return null;
                        }
                        work.addAll(written.tables());
                    }
                }
            }
        }
        return all;
    }

    // The child tables a change to table can violate: itself, and every table referencing it.
    private Set<String> unitsOf(String table) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        found.add(table);
        try (PreparedStatement children = connection.prepareStatement(
                "SELECT DISTINCT m.name FROM main.sqlite_schema AS m,"
                        + " pragma_foreign_key_list(m.name, 'main') AS f WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE")) {
            children.setString(1, table);
            try (ResultSet rs = children.executeQuery()) {
                while (rs.next()) {
                    found.add(Names.key(rs.getString(1)));
                }
            }
        }
        return found;
    }

    /**
     * One kind of violation: rows of {@code table} whose values in the foreign key's
     * {@code columns} find no row in {@code parent}. Equal when table, parent, columns and
     * values are; the other components only serve the message.
     *
     * @param table the child table, keyed by {@link Names#key}
     * @param parent the parent table, keyed by {@link Names#key}
     * @param columns the child's columns of the foreign key, keyed by {@link Names#key}, in order
     * @param values the child's values in them, as SQLite's {@code quote()} shows them
     * @param shownTable the child table as named in the schema
     * @param shownParent the parent as named in the foreign key
     * @param row the rowid, or primary key, of one such row
     * @param foreignKey the foreign key's id in {@code PRAGMA foreign_key_list}
     */
    private record Violation(
            String table,
            String parent,
            List<String> columns,
            List<String> values,
            String shownTable,
            String shownParent,
            String row,
            int foreignKey) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Violation that
                    && table.equals(that.table)
                    && parent.equals(that.parent)
                    && columns.equals(that.columns)
                    && values.equals(that.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(table, parent, columns, values);
        }

        /**
         * The kind SQLite reports as an error rather than as rows: a foreign key of {@code table}
         * whose parent columns are not the parent's primary key or a unique index, which SQLite
         * can neither check nor enforce.
         */
        static Violation mismatch(String table, String message) {
            return new Violation(Names.key(table), "", List.of(), List.of(message), table, "", null, -1);
        }

        /** The same violation once {@code rename} has run. */
        Violation renamed(Writes.Rename rename) {
            if (rename.column() == null) {
                return new Violation(
                        table.equals(rename.table()) ? rename.to() : table,
                        parent.equals(rename.table()) ? rename.to() : parent,
                        columns,
                        values,
                        shownTable,
                        shownParent,
                        row,
                        foreignKey);
            }
            if (!table.equals(rename.table())) {
                return this;
            }
            List<String> renamedColumns = columns.stream()
                    .map(column -> column.equals(rename.column()) ? rename.to() : column)
                    .toList();
            return new Violation(table, parent, renamedColumns, values, shownTable, shownParent, row, foreignKey);
        }

        String describe(int rows) {
            if (row == null) {
                return "the foreign key of table [" + shownTable + "] without a usable parent key: " + values.get(0)
                        + " (the parent's columns are not its primary key or under a UNIQUE index, so SQLite can"
                        + " neither check nor enforce the key)";
            }
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
     * The violations now, by kind, with how many rows each: in one child table, or in all (null).
     * Only the main database's: a TEMP table of the same name, which unqualified names would
     * find first, is neither checked nor taken for it.
     */
    private Map<Violation, Integer> violations(String unit) throws SQLException {
        if (unit != null && !tableExists(unit)) {
            return Map.of();
        }
        record ViolatedKey(String table, int id) {}
        Map<ViolatedKey, List<Object>> rowidsByKey = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        unit == null
                                ? "PRAGMA main.foreign_key_check"
                                : "PRAGMA main.foreign_key_check(" + quote(unit) + ")")) {
            while (rs.next()) {
                rowidsByKey
                        .computeIfAbsent(new ViolatedKey(rs.getString(1), rs.getInt(4)), k -> new ArrayList<>())
                        .add(rs.getObject(2));
            }
        } catch (SQLException e) {
            if (!isMismatch(e)) {
                throw e;
            }
            // One unusable foreign key fails the whole check: count table by table, that one as a kind.
            return unit == null ? tableByTable() : Map.of(Violation.mismatch(unit, mismatchOf(e)), 1);
        }
        Map<Violation, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<ViolatedKey, List<Object>> entry : rowidsByKey.entrySet()) {
            ViolatedKey key = entry.getKey();
            boolean withoutRowid = entry.getValue().get(0) == null;
            int named = countViolations(key.table(), key.id(), withoutRowid, counts);
            int residual = entry.getValue().size() - named;
            if (residual > 0) {
                // Should not happen: the query disagrees with SQLite's check. Count what is left
                // under one kind per key, so new violations still show, if less precisely.
                counts.merge(
                        new Violation(
                                Names.key(key.table()),
                                "?",
                                List.of(),
                                List.of(),
                                key.table(),
                                "?",
                                String.valueOf(entry.getValue().get(0)),
                                key.id()),
                        residual,
                        Integer::sum);
            }
        }
        return counts;
    }

    private Map<Violation, Integer> tableByTable() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT name FROM main.sqlite_schema WHERE type = 'table'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        Map<Violation, Integer> counts = new LinkedHashMap<>();
        for (String table : tables) {
            violations(table).forEach((violation, count) -> counts.merge(violation, count, Integer::sum));
        }
        return counts;
    }

    private static boolean isMismatch(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains(MISMATCH);
    }

    // SQLite's words, without the driver's wrapping: foreign key mismatch - "c" referencing "p".
    private static String mismatchOf(SQLException e) {
        String message = e.getMessage();
        int at = message.indexOf(MISMATCH);
        int end = message.lastIndexOf(')');
        return message.substring(at, end > at ? end : message.length());
    }

    /** Adds the violations of one foreign key to {@code counts}; returns how many rows violate it. */
    private int countViolations(String child, int id, boolean withoutRowid, Map<Violation, Integer> counts)
            throws SQLException {
        String parent = null;
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA main.foreign_key_list(" + quote(child) + ")")) {
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
            sql.append(i == 0 ? "" : " || ', ' || ")
                    .append("quote(c.")
                    .append(quote(rowKey.get(i)))
                    .append(')');
        }
        sql.append(") FROM main.").append(quote(child)).append(" AS c WHERE ");
        for (String column : from) {
            sql.append("c.").append(quote(column)).append(" IS NOT NULL AND ");
        }
        if (parentExists) {
            sql.append("NOT EXISTS (SELECT 1 FROM main.").append(quote(parent)).append(" AS p WHERE ");
            for (int i = 0; i < from.size(); i++) {
                sql.append(i == 0 ? "" : " AND ")
                        .append("p.")
                        .append(quote(parentKey.get(i)))
                        .append(" = +c.")
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
        List<String> columns = from.stream().map(Names::key).toList();
        int rows = 0;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql.toString())) {
            while (rs.next()) {
                List<String> values = new ArrayList<>(from.size());
                for (int i = 1; i <= from.size(); i++) {
                    values.add(rs.getString(i));
                }
                int count = rs.getInt(from.size() + 1);
                counts.merge(
                        new Violation(
                                Names.key(child),
                                Names.key(parent),
                                columns,
                                values,
                                child,
                                parent,
                                rs.getString(from.size() + 2),
                                id),
                        count,
                        Integer::sum);
                rows += count;
            }
        }
        return rows;
    }

    private List<String> primaryKey(String table) throws SQLException {
        SortedMap<Integer, String> byPosition = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA main.table_info(" + quote(table) + ")")) {
            while (rs.next()) {
                if (rs.getInt("pk") > 0) {
                    byPosition.put(rs.getInt("pk"), rs.getString("name"));
                }
            }
        }
        return new ArrayList<>(byPosition.values());
    }

    private boolean tableExists(String table) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

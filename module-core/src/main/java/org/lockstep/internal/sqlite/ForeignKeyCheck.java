package org.lockstep.internal.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

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
 */
final class ForeignKeyCheck {
    private static final int SHOWN = 10;

    private final Connection connection;
    private Map<Violation, Integer> before;

    ForeignKeyCheck(Connection connection) {
        this.connection = connection;
    }

    /** Notes what is violated already; called before the deploy's first statement. */
    void start() throws SQLException {
        before = violations();
    }

    /** Returns whether {@link #start} was called: whether any statement ran. */
    boolean started() {
        return before != null;
    }

    /**
     * Returns a description of each kind of violation the deploy introduced, at most ten and
     * a count of the rest; empty if none, or if no statement ran.
     */
    List<String> introduced() throws SQLException {
        if (before == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<Violation, Integer> entry : violations().entrySet()) {
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

    /**
     * One kind of violation: rows of {@code table} whose values in the foreign key's
     * {@code columns} find no row in {@code parent}. Equal when table, parent, columns and
     * values are; the other components only serve the message.
     *
     * @param table the child table, lower case
     * @param parent the parent table, lower case
     * @param columns the child's columns of the foreign key, lower case, in order
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

    /** The violations now, by kind, with how many rows each. */
    private Map<Violation, Integer> violations() throws SQLException {
        record ViolatedKey(String table, int id) {}
        Map<ViolatedKey, List<Object>> rowidsByKey = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                rowidsByKey
                        .computeIfAbsent(new ViolatedKey(rs.getString(1), rs.getInt(4)), k -> new ArrayList<>())
                        .add(rs.getObject(2));
            }
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
                                key.table().toLowerCase(Locale.ROOT),
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

    /** Adds the violations of one foreign key to {@code counts}; returns how many rows violate it. */
    private int countViolations(String child, int id, boolean withoutRowid, Map<Violation, Integer> counts)
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
            sql.append(i == 0 ? "" : " || ', ' || ")
                    .append("quote(c.")
                    .append(quote(rowKey.get(i)))
                    .append(')');
        }
        sql.append(") FROM ").append(quote(child)).append(" AS c WHERE ");
        for (String column : from) {
            sql.append("c.").append(quote(column)).append(" IS NOT NULL AND ");
        }
        if (parentExists) {
            sql.append("NOT EXISTS (SELECT 1 FROM ").append(quote(parent)).append(" AS p WHERE ");
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
        List<String> columns =
                from.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
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
                                child.toLowerCase(Locale.ROOT),
                                parent.toLowerCase(Locale.ROOT),
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
                ResultSet rs = statement.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
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
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
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

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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sql.SqlSyntaxException;
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
 * violations of the changed tables only.
 */
final class ForeignKeyCheck {
    private static final int SHOWN = 10;

    private final Connection connection;
    // The child tables whose violations were counted before the deploy changed them, lower
    // case: a table a statement changes, and every table whose foreign keys reference it.
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
        if (everything) {
            return;
        }
        Writes writes = Writes.of(statement);
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

    // The tables and, recursively, the tables their triggers write; null if a trigger may write anything.
    private Set<String> withTriggers(Set<String> tables) throws SQLException {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>(tables);
        while (!work.isEmpty()) {
            String table = work.pop();
            if (!all.add(table)) {
                continue;
            }
            try (PreparedStatement triggers = connection.prepareStatement(
                    "SELECT sql FROM sqlite_schema" + " WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE")) {
                triggers.setString(1, table);
                try (ResultSet rs = triggers.executeQuery()) {
                    while (rs.next()) {
                        Set<String> written = triggerWrites(rs.getString(1));
                        if (written == null) {
                            return null;
                        }
                        work.addAll(written);
                    }
                }
            }
        }
        return all;
    }

    // The tables the statements of a trigger's body write; null if it may write anything.
    private static Set<String> triggerWrites(String sql) {
        int begin = indexOfWord(sql, "BEGIN");
        int end = sql.toUpperCase(Locale.ROOT).lastIndexOf("END");
        if (sql == null || begin < 0 || end <= begin) {
            return null;
        }
        Set<String> written = new HashSet<>();
        try {
            for (SqlStatement statement : ScriptDialect.SQLITE.split(sql.substring(begin + "BEGIN".length(), end))) {
                Writes writes = Writes.of(statement);
                if (writes.everything()) {
                    return null;
                }
                written.addAll(writes.tables());
            }
        } catch (SqlSyntaxException e) {
            return null;
        }
        return written;
    }

    private static int indexOfWord(String sql, String word) {
        if (sql == null) {
            return -1;
        }
        String upper = sql.toUpperCase(Locale.ROOT);
        for (int i = upper.indexOf(word); i >= 0; i = upper.indexOf(word, i + 1)) {
            boolean before = i == 0 || !Character.isLetterOrDigit(upper.charAt(i - 1));
            int after = i + word.length();
            if (before && (after == upper.length() || !Character.isLetterOrDigit(upper.charAt(after)))) {
                return i;
            }
        }
        return -1;
    }

    // The child tables a change to table can violate: itself, and every table referencing it.
    private Set<String> unitsOf(String table) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        found.add(table);
        try (PreparedStatement children = connection.prepareStatement("SELECT DISTINCT m.name FROM sqlite_schema AS m,"
                + " pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE")) {
            children.setString(1, table);
            try (ResultSet rs = children.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1).toLowerCase(Locale.ROOT));
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

    /** The violations now, by kind, with how many rows each: in one child table, or in all (null). */
    private Map<Violation, Integer> violations(String unit) throws SQLException {
        if (unit != null && !tableExists(unit)) {
            return Map.of();
        }
        record ViolatedKey(String table, int id) {}
        Map<ViolatedKey, List<Object>> rowidsByKey = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        unit == null ? "PRAGMA foreign_key_check" : "PRAGMA foreign_key_check(" + quote(unit) + ")")) {
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

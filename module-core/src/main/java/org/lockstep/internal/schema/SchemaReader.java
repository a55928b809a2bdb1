package org.lockstep.internal.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a SQLite schema from a connection. One reader reads one connection's schema again and
 * again (the linter reads it after every script): a table whose SQL has not changed since the
 * previous read is taken from it as it was, and only changed tables are asked their columns,
 * keys and indexes, so a read costs one query of {@code sqlite_schema} plus the objects that
 * changed, not the size of the schema.
 *
 * <p>Not thread-safe; the caller owns the connection.
 */
public final class SchemaReader {
    private final Connection connection;
    private final Set<String> leftOut;
    private Schema previous = Schema.EMPTY;
    private final Map<String, String> previousTableSql = new HashMap<>();
    private boolean tableListWorks = true;

    /**
     * Creates a reader.
     *
     * @param connection the connection to read
     * @param leftOut the tables to leave out, with their indexes and triggers (the history table)
     */
    public SchemaReader(Connection connection, Set<String> leftOut) {
        this.connection = connection;
        this.leftOut = leftOut.stream().map(Names::key).collect(java.util.stream.Collectors.toSet());
    }

    private record Row(String type, String name, String table, String sql) {}

    /**
     * Reads the schema as the connection sees it now.
     *
     * @return the schema
     * @throws SQLException if the catalog cannot be read
     */
    public Schema read() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT type, name, tbl_name, sql FROM main.sqlite_master")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        Map<String, Table.Kind> kinds = kinds(rows);
        Map<String, Table> tables = new HashMap<>();
        Map<String, Index> indexes = new HashMap<>();
        Map<String, Trigger> triggers = new HashMap<>();
        Map<String, View> views = new HashMap<>();
        Map<String, List<Row>> indexRows = new HashMap<>();
        for (Row row : rows) {
            String key = Names.key(row.name());
            String tableKey = Names.key(row.table());
            if (leftOut.contains(tableKey) || (row.type().equals("table") && key.startsWith("sqlite_"))) {
                continue;
            }
            switch (row.type()) {
                case "table":
                    tables.put(key, null); // read below
                    break;
                case "index":
                    indexRows.computeIfAbsent(tableKey, k -> new ArrayList<>()).add(row);
                    break;
                case "trigger":
                    triggers.put(
                            key,
                            reuse(
                                    previous.triggers().get(key),
                                    row,
                                    () -> new Trigger(
                                            row.name(), row.table(), row.sql(), SqlText.normalize(row.sql()))));
                    break;
                case "view":
                    views.put(
                            key,
                            reuse(
                                    previous.views().get(key),
                                    row,
                                    () -> new View(row.name(), row.sql(), SqlText.normalize(row.sql()))));
                    break;
                default:
                    break;
            }
        }
        Map<String, String> tableSql = new HashMap<>();
        try (PreparedStatement columns = connection.prepareStatement(
                        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)");
                PreparedStatement keys = connection.prepareStatement(
                        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?)"
                                + " ORDER BY id, seq");
                PreparedStatement indexList = connection.prepareStatement(
                        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)");
                PreparedStatement indexColumns = connection.prepareStatement(
                        "SELECT name, cid FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")) {
            for (Row row : rows) {
                String key = Names.key(row.name());
                if (!row.type().equals("table") || !tables.containsKey(key)) {
                    continue;
                }
                tableSql.put(key, row.sql());
                boolean tableSame = Objects.equals(previousTableSql.get(key), row.sql())
                        && previous.tables().containsKey(key);
                Table table = tableSame
                        ? previous.tables().get(key)
                        : table(row, kinds.getOrDefault(key, Table.Kind.TABLE), columns, keys);
                tables.put(key, table);
                List<Row> ownIndexes = indexRows.getOrDefault(key, List.of());
                boolean indexesSame = tableSame;
                for (Row index : ownIndexes) {
                    Index known = previous.indexes().get(Names.key(index.name()));
                    indexesSame = indexesSame
                            && known != null
                            && Names.same(known.table(), row.name())
                            && Objects.equals(known.sql(), index.sql());
                }
                if (indexesSame) {
                    for (Row index : ownIndexes) {
                        String indexKey = Names.key(index.name());
                        indexes.put(indexKey, previous.indexes().get(indexKey));
                    }
                } else if (!ownIndexes.isEmpty()) {
                    indexes.putAll(indexes(row.name(), ownIndexes, indexList, indexColumns));
                }
            }
        }
        previousTableSql.clear();
        previousTableSql.putAll(tableSql);
        previous = new Schema(tables, indexes, triggers, views);
        return previous;
    }

    private static <T> T reuse(T known, Row row, java.util.function.Supplier<T> read) {
        if (known instanceof Trigger trigger
                && Objects.equals(trigger.sql(), row.sql())
                && Objects.equals(trigger.table(), row.table())) {
            return known;
        }
        if (known instanceof View view && Objects.equals(view.sql(), row.sql())) {
            return known;
        }
        return read.get();
    }

    // pragma_table_list (SQLite 3.37) tells virtual and shadow tables apart; before it, a table
    // is virtual by its SQL and shadow by its name: <virtual table>_<suffix>.
    private Map<String, Table.Kind> kinds(List<Row> rows) throws SQLException {
        Map<String, Table.Kind> kinds = new HashMap<>();
        if (tableListWorks) {
            try (Statement statement = connection.createStatement();
                    ResultSet rs =
                            statement.executeQuery("SELECT name, type FROM pragma_table_list WHERE schema = 'main'")) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    kinds.put(
                            Names.key(rs.getString(1)),
                            "virtual".equals(type)
                                    ? Table.Kind.VIRTUAL
                                    : "shadow".equals(type) ? Table.Kind.SHADOW : Table.Kind.TABLE);
                }
                return kinds;
            } catch (SQLException e) {
                tableListWorks = false;
            }
        }
        List<String> virtual = new ArrayList<>();
        for (Row row : rows) {
            if (row.type().equals("table")
                    && row.sql() != null
                    && SqlText.normalize(row.sql()).startsWith("create virtual table")) {
                kinds.put(Names.key(row.name()), Table.Kind.VIRTUAL);
                virtual.add(Names.key(row.name()) + "_");
            }
        }
        for (Row row : rows) {
            String key = Names.key(row.name());
            if (row.type().equals("table")
                    && !kinds.containsKey(key)
                    && virtual.stream()
                            .anyMatch(prefix -> key.startsWith(prefix) && key.indexOf('_', prefix.length()) < 0)) {
                kinds.put(key, Table.Kind.SHADOW);
            }
        }
        return kinds;
    }

    private static Table table(Row row, Table.Kind kind, PreparedStatement columns, PreparedStatement keys)
            throws SQLException {
        String sql = row.sql() == null ? "" : row.sql();
        SqlText.TableText text =
                kind == Table.Kind.TABLE ? SqlText.table(sql) : new SqlText.TableText(List.of(), Map.of());
        List<Column> read = new ArrayList<>();
        columns.setString(1, row.name());
        try (ResultSet rs = columns.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                read.add(new Column(
                        name,
                        rs.getString(2) == null ? "" : rs.getString(2),
                        rs.getInt(3) != 0,
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getInt(6),
                        text.collations().get(Names.key(name))));
            }
        }
        List<ForeignKey> foreignKeys = new ArrayList<>();
        if (kind == Table.Kind.TABLE) {
            keys.setString(1, row.name());
            try (ResultSet rs = keys.executeQuery()) {
                int id = -1;
                String parent = null;
                List<String> from = new ArrayList<>();
                List<String> to = new ArrayList<>();
                String onUpdate = null;
                String onDelete = null;
                while (rs.next()) {
                    if (rs.getInt(1) != id && id >= 0) {
                        foreignKeys.add(new ForeignKey(parent, from, to, onUpdate, onDelete));
                        from.clear();
                        to.clear();
                    }
                    id = rs.getInt(1);
                    parent = rs.getString(2);
                    from.add(rs.getString(3));
                    if (rs.getString(4) != null) {
                        to.add(rs.getString(4));
                    }
                    onUpdate = rs.getString(5);
                    onDelete = rs.getString(6);
                }
                if (id >= 0) {
                    foreignKeys.add(new ForeignKey(parent, from, to, onUpdate, onDelete));
                }
            }
        }
        boolean strict = false;
        boolean withoutRowid = false;
        if (kind == Table.Kind.TABLE) {
            List<org.lockstep.internal.sql.SqlToken> tokens =
                    org.lockstep.internal.sql.ScriptDialect.SQLITE.tokens(sql);
            for (org.lockstep.internal.sql.SqlToken token : tokens) {
                if (token.depth() == 0 && token.is("STRICT")) {
                    strict = true;
                }
                if (token.depth() == 0 && token.is("ROWID")) {
                    withoutRowid = true;
                }
            }
        }
        return new Table(
                row.name(), kind, strict, withoutRowid, sql, SqlText.normalize(sql), read, foreignKeys, text.checks());
    }

    private static Map<String, Index> indexes(
            String table, List<Row> rows, PreparedStatement indexList, PreparedStatement indexColumns)
            throws SQLException {
        Map<String, String> sql = new HashMap<>();
        for (Row row : rows) {
            sql.put(Names.key(row.name()), row.sql());
        }
        Map<String, Index> indexes = new HashMap<>();
        indexList.setString(1, table);
        List<String[]> listed = new ArrayList<>();
        try (ResultSet rs = indexList.executeQuery()) {
            while (rs.next()) {
                listed.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        for (String[] entry : listed) {
            String key = Names.key(entry[0]);
            if (!sql.containsKey(key)) {
                continue; // the primary key of a WITHOUT ROWID table, listed but not in sqlite_schema
            }
            List<String> columns = new ArrayList<>();
            indexColumns.setString(1, entry[0]);
            try (ResultSet rs = indexColumns.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1) != null ? rs.getString(1) : "<expression>");
                }
            }
            String text = sql.get(key);
            indexes.put(
                    key,
                    new Index(
                            entry[0],
                            table,
                            "1".equals(entry[1]),
                            entry[2],
                            "1".equals(entry[3]),
                            columns,
                            text,
                            text == null ? null : SqlText.normalize(text)));
        }
        return indexes;
    }
}

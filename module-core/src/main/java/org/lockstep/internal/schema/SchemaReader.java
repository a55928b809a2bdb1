package org.lockstep.internal.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.lockstep.internal.sql.Names;

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
    // Every row of sqlite_schema as of the last read, by type and name.
    private final Map<String, Row> rowsById = new LinkedHashMap<>();
    private boolean read;
    private boolean tableListWorks = true;
    private final Map<String, Table.Kind> shadowCache = new HashMap<>();

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

    /**
     * What a script may have changed, as its statements name it: the objects (and the tables
     * whose indexes and triggers) it created, dropped or altered; the names whose mentions SQLite
     * rewrites in other objects' SQL (a renamed table, a table whose column was renamed or
     * dropped); and the prefixes of virtual tables' shadow tables.
     *
     * @param names names of objects and tables, as {@link Names#key}
     * @param mentioned names whose mention in an object's SQL makes it a candidate, as keys
     * @param prefixes name prefixes of shadow tables, as keys (e.g. {@code posts_fts_})
     */
    public record Changes(Set<String> names, Set<String> mentioned, Set<String> prefixes) {
        /** Copies the sets. */
        public Changes {
            names = Set.copyOf(names);
            mentioned = Set.copyOf(mentioned);
            prefixes = Set.copyOf(prefixes);
        }

        boolean covers(Row row) {
            if (names.contains(row.key()) || names.contains(row.tableKey())) {
                return true;
            }
            for (String prefix : prefixes) {
                if (row.key().startsWith(prefix)) {
                    return true;
                }
            }
            if (row.sqlKey() != null && !mentioned.isEmpty()) {
                for (String name : mentioned) {
                    if (row.sqlKey().contains(name)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * Reads the schema after a change said by {@code changes}: only the rows of
     * {@code sqlite_schema} it covers are read again, before and after, so the read costs what
     * the script changed. The rest is taken from the previous read, which must have been made by
     * this reader on this connection with nothing else changing the schema since.
     *
     * @param changes what may have changed
     * @return the schema
     * @throws SQLException if the catalog cannot be read
     */
    public Schema read(Changes changes) throws SQLException {
        if (!read) {
            return read();
        }
        rowsById.values().removeIf(changes::covers);
        List<String> conditions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String name : changes.names()) {
            conditions.add("lower(name) = ? OR lower(tbl_name) = ?");
            values.add(name);
            values.add(name);
        }
        for (String prefix : changes.prefixes()) {
            conditions.add("substr(lower(name), 1, ?) = ?");
            values.add(Integer.toString(prefix.length()));
            values.add(prefix);
        }
        for (String name : changes.mentioned()) {
            conditions.add("instr(lower(sql), ?) > 0");
            values.add(name);
        }
        if (!conditions.isEmpty()) {
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE "
                            + String.join(" OR ", conditions))) {
                for (int i = 0; i < values.size(); i++) {
                    query.setString(i + 1, values.get(i));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Row row = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                        rowsById.put(row.id(), row);
                    }
                }
            }
        }
        return build(rowsById.values());
    }

    private List<Row> allRows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT type, name, tbl_name, sql FROM main.sqlite_master")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return rows;
    }

    // One row of sqlite_schema, with what every read asks of it worked out once: rows that did
    // not change are kept from read to read. SQLite stores "CREATE VIRTUAL TABLE" normalised.
    private record Row(
            String type,
            String name,
            String table,
            String sql,
            String key,
            String tableKey,
            String sqlKey,
            boolean virtual) {
        Row(String type, String name, String table, String sql) {
            this(
                    type,
                    name,
                    table,
                    sql,
                    Names.key(name),
                    Names.key(table),
                    sql == null ? null : Names.key(sql),
                    "table".equals(type) && sql != null && sql.startsWith("CREATE VIRTUAL TABLE"));
        }

        String id() {
            return type + " " + key;
        }
    }

    /**
     * Reads the schema as the connection sees it now.
     *
     * @return the schema
     * @throws SQLException if the catalog cannot be read
     */
    public Schema read() throws SQLException {
        rowsById.clear();
        for (Row row : allRows()) {
            rowsById.put(row.id(), row);
        }
        read = true;
        return build(rowsById.values());
    }

    private Schema build(Collection<Row> rows) throws SQLException {
        Map<String, Table.Kind> kinds = kinds(rows);

        Map<String, Table> tables = new HashMap<>();
        Map<String, Index> indexes = new HashMap<>();
        Map<String, Trigger> triggers = new HashMap<>();
        Map<String, View> views = new HashMap<>();
        Map<String, List<Row>> indexRows = new HashMap<>();
        for (Row row : rows) {
            String key = row.key();
            String tableKey = row.tableKey();
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
                String key = row.key();
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
                    Index known = previous.indexes().get(index.key());
                    indexesSame = indexesSame
                            && known != null
                            && Names.same(known.table(), row.name())
                            && Objects.equals(known.sql(), index.sql());
                }
                if (indexesSame) {
                    for (Row index : ownIndexes) {
                        indexes.put(index.key(), previous.indexes().get(index.key()));
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

    // A table is virtual by its SQL. A shadow table (FTS5's x_data, R*Tree's x_node) is an
    // ordinary CREATE TABLE named <virtual table>_<suffix>; for such a name pragma_table_list
    // (SQLite 3.37) says whether it is one, and before 3.37 the name alone does.
    private Map<String, Table.Kind> kinds(Collection<Row> rows) throws SQLException {
        Map<String, Table.Kind> kinds = new HashMap<>();
        List<String> virtual = new ArrayList<>();
        for (Row row : rows) {
            if (row.virtual()) {
                kinds.put(row.key(), Table.Kind.VIRTUAL);
                virtual.add(row.key() + "_");
            }
        }
        if (virtual.isEmpty()) {
            return kinds;
        }
        for (Row row : rows) {
            if (!row.type().equals("table")
                    || kinds.containsKey(row.key())
                    || virtual.stream().noneMatch(prefix -> row.key().startsWith(prefix))) {
                continue;
            }
            Table.Kind kind = shadowCache.get(row.id() + "\u0000" + row.sql());
            if (kind == null) {
                kind = Table.Kind.SHADOW;
                if (tableListWorks) {
                    try (PreparedStatement list = connection.prepareStatement(
                            "SELECT type FROM pragma_table_list(?) WHERE schema = 'main'")) {
                        list.setString(1, row.name());
                        try (ResultSet rs = list.executeQuery()) {
                            kind = rs.next() ? kind(rs.getString(1)) : Table.Kind.TABLE;
                        }
                    } catch (SQLException e) {
                        tableListWorks = false;
                    }
                }
                shadowCache.put(row.id() + "\u0000" + row.sql(), kind);
            }
            kinds.put(row.key(), kind);
        }
        return kinds;
    }

    private static Table.Kind kind(String type) {
        return "virtual".equals(type)
                ? Table.Kind.VIRTUAL
                : "shadow".equals(type) ? Table.Kind.SHADOW : Table.Kind.TABLE;
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

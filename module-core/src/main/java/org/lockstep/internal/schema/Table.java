package org.lockstep.internal.schema;

import java.util.List;
import java.util.Optional;
import org.lockstep.internal.sql.Names;

/**
 * One table.
 *
 * @param name the table's name
 * @param kind an ordinary, virtual or shadow table
 * @param strict whether it is {@code STRICT}
 * @param withoutRowid whether it is {@code WITHOUT ROWID}
 * @param sql its SQL as {@code sqlite_schema} holds it
 * @param normalized its SQL in normal form ({@link SqlText#normalize})
 * @param columns its columns, in order, hidden and generated ones included
 * @param foreignKeys its foreign keys
 * @param checks its {@code CHECK} constraints, table and column ones
 */
public record Table(
        String name,
        Kind kind,
        boolean strict,
        boolean withoutRowid,
        String sql,
        String normalized,
        List<Column> columns,
        List<ForeignKey> foreignKeys,
        List<Check> checks) {

    /** What kind of table. */
    public enum Kind {
        /** An ordinary table. */
        TABLE,
        /** A virtual table ({@code CREATE VIRTUAL TABLE}). */
        VIRTUAL,
        /** A table a virtual table keeps its data in (FTS5's {@code x_data}, ...). */
        SHADOW
    }

    /** Copies the lists. */
    public Table {
        columns = List.copyOf(columns);
        foreignKeys = List.copyOf(foreignKeys);
        checks = List.copyOf(checks);
    }

    /** Returns the column of that name, if there is one. */
    public Optional<Column> column(String columnName) {
        for (Column column : columns) {
            if (Names.same(column.name(), columnName)) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }

    /** Returns the primary key's columns as keys, in key order; empty if it has none declared. */
    public List<String> primaryKeyKeys() {
        return columns.stream()
                .filter(column -> column.primaryKey() > 0)
                .sorted(java.util.Comparator.comparingInt(Column::primaryKey))
                .map(column -> Names.key(column.name()))
                .toList();
    }
}

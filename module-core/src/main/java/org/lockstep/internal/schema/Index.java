package org.lockstep.internal.schema;

import java.util.List;

/**
 * One index, written or automatic (of a {@code UNIQUE} or {@code PRIMARY KEY} constraint).
 *
 * @param name the index's name
 * @param table the table it is on
 * @param unique whether it is unique
 * @param origin {@code c} for {@code CREATE INDEX}, {@code u} for a {@code UNIQUE} constraint,
 *     {@code pk} for a {@code PRIMARY KEY} constraint
 * @param partial whether it has a {@code WHERE} clause
 * @param columns its key columns, in order; an expression as {@code <expression>}
 * @param sql its SQL, or null for an automatic index
 * @param normalized its SQL in normal form ({@link SqlText#normalize}), or null for an automatic index
 */
public record Index(
        String name,
        String table,
        boolean unique,
        String origin,
        boolean partial,
        List<String> columns,
        String sql,
        String normalized) {

    /** Copies the list. */
    public Index {
        columns = List.copyOf(columns);
    }

    /** Returns whether the index was made by a constraint of its table, not by {@code CREATE INDEX}. */
    public boolean automatic() {
        return sql == null;
    }

    /** Returns the key columns as keys ({@link Names#key}). */
    public List<String> columnKeys() {
        return ForeignKey.keys(columns);
    }

    /** Returns whether this index makes the same rows unique, or orders the same columns, as another. */
    public boolean sameDefinition(Index other) {
        if (sql != null && other.sql != null) {
            return SqlText.definition(sql).equals(SqlText.definition(other.sql));
        }
        return unique == other.unique
                && partial == other.partial
                && columnKeys().equals(other.columnKeys());
    }

    /** Returns the index as text for messages, e.g. {@code UNIQUE (email)}. */
    public String describe() {
        return (unique ? "UNIQUE " : "") + "(" + String.join(", ", columns) + ")" + (partial ? " WHERE ..." : "");
    }
}

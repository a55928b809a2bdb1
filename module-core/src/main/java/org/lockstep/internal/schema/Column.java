package org.lockstep.internal.schema;

import java.util.Objects;
import org.lockstep.internal.sql.Names;

/**
 * One column of a table, as {@code pragma_table_xinfo} and the table's SQL describe it.
 *
 * @param name the column's name
 * @param type the declared type, possibly empty
 * @param notNull whether it is declared {@code NOT NULL}
 * @param defaultValue the default's SQL text, or null for none
 * @param primaryKey its 1-based position in the primary key, or 0
 * @param hidden 0 for an ordinary column, 1 hidden (of a virtual table), 2 generated virtual, 3 generated stored
 * @param collation the declared collation, or null for the default
 */
public record Column(
        String name, String type, boolean notNull, String defaultValue, int primaryKey, int hidden, String collation) {

    /** Returns whether the column is generated ({@code GENERATED ALWAYS AS}). */
    public boolean generated() {
        return hidden == 2 || hidden == 3;
    }

    /** Returns whether the column has a default that is not {@code NULL}. */
    public boolean hasNonNullDefault() {
        return defaultValue != null && !defaultValue.strip().equalsIgnoreCase("NULL");
    }

    /** Returns how this column differs from another of the same name, or an empty string. */
    public String differenceFrom(Column other) {
        StringBuilder text = new StringBuilder();
        if (!type.equalsIgnoreCase(other.type)) {
            append(text, "type [" + other.type + "] -> [" + type + "]");
        }
        if (notNull != other.notNull) {
            append(text, notNull ? "now NOT NULL" : "no longer NOT NULL");
        }
        if (!Objects.equals(defaultValue, other.defaultValue)) {
            append(text, "default [" + other.defaultValue + "] -> [" + defaultValue + "]");
        }
        if (primaryKey != other.primaryKey) {
            append(text, "primary key position [" + other.primaryKey + "] -> [" + primaryKey + "]");
        }
        if (hidden != other.hidden) {
            append(text, "generated/hidden [" + other.hidden + "] -> [" + hidden + "]");
        }
        if (!Objects.equals(
                collation == null ? null : Names.key(collation),
                other.collation == null ? null : Names.key(other.collation))) {
            append(text, "collation [" + other.collation + "] -> [" + collation + "]");
        }
        return text.toString();
    }

    private static void append(StringBuilder text, String part) {
        if (text.length() > 0) {
            text.append(", ");
        }
        text.append(part);
    }
}

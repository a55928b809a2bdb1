package org.lockstep.internal.schema;

import java.util.List;
import org.lockstep.internal.sql.Names;

/**
 * One foreign key of a table, as {@code pragma_foreign_key_list} describes it.
 *
 * @param parent the parent table's name, as written
 * @param from the child's columns, in order
 * @param to the parent's columns, in order; empty when the key names none (the parent's primary key)
 * @param onUpdate the ON UPDATE action
 * @param onDelete the ON DELETE action
 */
public record ForeignKey(String parent, List<String> from, List<String> to, String onUpdate, String onDelete) {

    /** Copies the lists. */
    public ForeignKey {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    /** Returns the key as SQL-like text, e.g. {@code (author_id) REFERENCES authors (id)}. */
    public String describe() {
        return "(" + String.join(", ", from) + ") REFERENCES " + parent
                + (to.isEmpty() ? "" : " (" + String.join(", ", to) + ")");
    }

    /** Returns whether two keys link the same columns to the same parent columns, names compared as SQLite does. */
    public boolean sameLink(ForeignKey other) {
        return Names.same(parent, other.parent)
                && keys(from).equals(keys(other.from))
                && keys(to).equals(keys(other.to));
    }

    static List<String> keys(List<String> names) {
        return names.stream().map(Names::key).toList();
    }
}

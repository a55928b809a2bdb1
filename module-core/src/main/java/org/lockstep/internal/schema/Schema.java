package org.lockstep.internal.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A database's schema at one moment: its tables, indexes, triggers and views, each map keyed
 * by {@link Names#key}. SQLite's own tables ({@code sqlite_sequence}, {@code sqlite_stat1})
 * and the objects a reader was told to leave out (the history table) are not in it.
 *
 * @param tables the tables, shadow tables of virtual tables included
 * @param indexes the indexes, automatic ones included
 * @param triggers the triggers
 * @param views the views
 */
public record Schema(
        Map<String, Table> tables, Map<String, Index> indexes, Map<String, Trigger> triggers, Map<String, View> views) {

    /** The schema of an empty database. */
    public static final Schema EMPTY = new Schema(Map.of(), Map.of(), Map.of(), Map.of());

    /** Copies the maps. */
    public Schema {
        tables = Map.copyOf(tables);
        indexes = Map.copyOf(indexes);
        triggers = Map.copyOf(triggers);
        views = Map.copyOf(views);
    }

    /** Returns the table of that name, if there is one. */
    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(Names.key(name)));
    }

    /** Returns the indexes on a table. */
    public List<Index> indexesOn(String table) {
        String key = Names.key(table);
        List<Index> on = new ArrayList<>();
        for (Index index : indexes.values()) {
            if (Names.key(index.table()).equals(key)) {
                on.add(index);
            }
        }
        return on;
    }

    /** Returns the triggers on a table or view. */
    public List<Trigger> triggersOn(String table) {
        String key = Names.key(table);
        List<Trigger> on = new ArrayList<>();
        for (Trigger trigger : triggers.values()) {
            if (Names.key(trigger.table()).equals(key)) {
                on.add(trigger);
            }
        }
        return on;
    }
}

package org.lockstep.internal.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lockstep.internal.sql.Names;

/**
 * A database's schema at one moment: its tables, indexes, triggers and views, each map keyed
 * by {@link Names#key}. SQLite's own tables ({@code sqlite_sequence}, {@code sqlite_stat1})
 * and the objects a reader was told to leave out (the history table) are not in it. Indexes
 * and triggers are also kept by table, so that asking for a table's costs what it has.
 *
 * <p>Immutable (its by-table views are made once, on first use, under its lock). A {@link SchemaReader} hands out the same object for what did not change
 * between two reads, so identity tells what a script changed.
 */
public final class Schema {
    /** The schema of an empty database. */
    public static final Schema EMPTY = new Schema(Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, Table> tables;
    private final Map<String, Index> indexes;
    private final Map<String, Trigger> triggers;
    private final Map<String, View> views;
    // By table, made on first use: most schemas the linter reads are asked about a few tables.
    private Map<String, List<Index>> indexesByTable;
    private Map<String, List<Trigger>> triggersByTable;

    /**
     * Creates the schema, taking the maps as they are: nobody may change them afterwards.
     *
     * @param tables the tables, shadow tables of virtual tables included
     * @param indexes the indexes, automatic ones included
     * @param triggers the triggers
     * @param views the views
     */
    Schema(
            Map<String, Table> tables,
            Map<String, Index> indexes,
            Map<String, Trigger> triggers,
            Map<String, View> views) {
        this.tables = Collections.unmodifiableMap(tables);
        this.indexes = Collections.unmodifiableMap(indexes);
        this.triggers = Collections.unmodifiableMap(triggers);
        this.views = Collections.unmodifiableMap(views);
    }

    /** Returns the tables, shadow tables of virtual tables included. */
    public Map<String, Table> tables() {
        return tables;
    }

    /** Returns the indexes, automatic ones included. */
    public Map<String, Index> indexes() {
        return indexes;
    }

    /** Returns the triggers. */
    public Map<String, Trigger> triggers() {
        return triggers;
    }

    /** Returns the views. */
    public Map<String, View> views() {
        return views;
    }

    /** Returns the table of that name, if there is one. */
    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(Names.key(name)));
    }

    /** Returns the indexes on a table. */
    public synchronized List<Index> indexesOn(String table) {
        if (indexesByTable == null) {
            indexesByTable = new HashMap<>();
            for (Index index : indexes.values()) {
                indexesByTable
                        .computeIfAbsent(Names.key(index.table()), k -> new ArrayList<>())
                        .add(index);
            }
        }
        return List.copyOf(indexesByTable.getOrDefault(Names.key(table), List.of()));
    }

    /** Returns the triggers on a table or view. */
    public synchronized List<Trigger> triggersOn(String table) {
        if (triggersByTable == null) {
            triggersByTable = new HashMap<>();
            for (Trigger trigger : triggers.values()) {
                triggersByTable
                        .computeIfAbsent(Names.key(trigger.table()), k -> new ArrayList<>())
                        .add(trigger);
            }
        }
        return List.copyOf(triggersByTable.getOrDefault(Names.key(table), List.of()));
    }
}

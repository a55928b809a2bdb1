package org.lockstep.internal.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lockstep.LintRule;
import org.lockstep.internal.schema.Check;
import org.lockstep.internal.schema.Column;
import org.lockstep.internal.schema.ForeignKey;
import org.lockstep.internal.schema.Index;
import org.lockstep.internal.schema.Schema;
import org.lockstep.internal.schema.SqlText;
import org.lockstep.internal.schema.Table;
import org.lockstep.internal.schema.Trigger;
import org.lockstep.internal.sql.Names;
import org.lockstep.internal.sql.SqlToken;

/**
 * The rules, applied to one script: the schema before and after it, and what each of its
 * statements did.
 *
 * <p>A table is known by its name. A table that exists before and after the script under one
 * name, but whose original object left that name during the script (dropped, or renamed away),
 * was rebuilt: whatever way the script went about it (create new, copy, drop old, rename; or
 * rename old, create new, copy, drop old), the rebuild is one change to one table, and the new
 * table is held against the old one. A table that left its name for good was dropped or renamed.
 */
final class ScriptReview {
    private final Schema before;
    private final Schema after;
    private final List<Event> events;
    private final String file;
    private final SqliteVersion oldest;
    private final List<Draft> drafts = new ArrayList<>();

    ScriptReview(Schema before, Schema after, List<Event> events, String file, SqliteVersion oldest) {
        this.before = before;
        this.after = after;
        this.events = events;
        this.file = file;
        this.oldest = oldest;
    }

    /** What happened to a table that existed before the script. */
    private record Fate(Event left, Event dropped, String finalName) {}

    List<Draft> review() {
        Set<String> changed = new HashSet<>();
        for (Table old : before.tables().values()) {
            if (old.kind() == Table.Kind.SHADOW) {
                continue;
            }
            Fate fate = fate(old.name());
            Optional<Table> now = after.table(old.name());
            if (now.isPresent()) {
                if (fate.left() != null) {
                    changed.add(Names.key(old.name()));
                    rebuilt(old, now.get(), fate.left());
                }
            } else {
                changed.add(Names.key(old.name()));
                if (fate.dropped() != null) {
                    add(
                            LintRule.DROP_TABLE,
                            fate.dropped(),
                            "Table [" + old.name() + "] is dropped" + at(fate.dropped()));
                } else if (fate.left() != null && after.table(fate.finalName()).isPresent()) {
                    changed.add(Names.key(fate.finalName()));
                    add(
                            LintRule.RENAME_TABLE,
                            fate.left(),
                            "Table [" + old.name() + "] is renamed to [" + fate.finalName() + "]" + at(fate.left()));
                }
            }
        }
        for (Event event : events) {
            statement(event);
        }
        uniqueIndexes();
        for (Table table : after.tables().values()) {
            Optional<Table> was = before.table(table.name());
            if (was.isEmpty() || !was.get().normalized().equals(table.normalized())) {
                changed.add(Names.key(table.name()));
            }
        }
        foreignKeys(changed);
        return drafts;
    }

    private void add(LintRule rule, Event event, String message) {
        drafts.add(new Draft(rule, event.line(), message));
    }

    private String at(Event event) {
        return " in [" + file + "] at line [" + event.line() + "]";
    }

    // Follows a table's original object through the script's renames to its drop, if any.
    private Fate fate(String name) {
        String current = name;
        Event left = null;
        for (Event event : events) {
            if (!event.ok()) {
                continue;
            }
            if (event.verb() == Shape.Verb.RENAME_TABLE && same(event.shape().name(), current)) {
                left = left == null ? event : left;
                current = event.shape().on();
            } else if (event.verb() == Shape.Verb.DROP_TABLE
                    && same(event.shape().name(), current)) {
                return new Fate(left == null ? event : left, event, current);
            }
        }
        return new Fate(left, null, current);
    }

    // The CREATE TABLE whose table ends the script under this name.
    private Optional<Event> creation(String name) {
        Event found = null;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (!event.ok() || event.verb() != Shape.Verb.CREATE_TABLE) {
                continue;
            }
            String current = event.shape().name();
            for (int j = i + 1; j < events.size(); j++) {
                Event later = events.get(j);
                if (later.ok()
                        && later.verb() == Shape.Verb.RENAME_TABLE
                        && same(later.shape().name(), current)) {
                    current = later.shape().on();
                }
                if (later.ok()
                        && later.verb() == Shape.Verb.DROP_TABLE
                        && same(later.shape().name(), current)) {
                    current = null;
                    break;
                }
            }
            if (current != null && same(current, name)) {
                found = event;
            }
        }
        return Optional.ofNullable(found);
    }

    private boolean explicitly(Shape.Verb verb, String name) {
        return events.stream()
                .anyMatch(e -> e.ok() && e.verb() == verb && same(e.shape().name(), name));
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && Names.same(a, b);
    }

    private void rebuilt(Table old, Table now, Event left) {
        Event created = creation(now.name()).orElse(left);
        String rebuild = "Table [" + old.name() + "] is rebuilt in [" + file + "]";
        for (Index index : before.indexesOn(old.name())) {
            if (index.automatic() || explicitly(Shape.Verb.DROP_INDEX, index.name())) {
                continue;
            }
            Index again = after.indexes().get(Names.key(index.name()));
            boolean kept = again != null && same(again.table(), now.name())
                    || after.indexesOn(now.name()).stream().anyMatch(i -> i.sameDefinition(index));
            if (!kept) {
                add(
                        LintRule.REBUILD_LOSES_INDEX,
                        left,
                        rebuild + ": the old table, which leaves at line [" + left.line() + "], takes index ["
                                + index.name() + "] " + index.describe()
                                + " with it, and no statement creates it again");
            }
        }
        for (Trigger trigger : before.triggersOn(old.name())) {
            if (explicitly(Shape.Verb.DROP_TRIGGER, trigger.name())) {
                continue;
            }
            Trigger again = after.triggers().get(Names.key(trigger.name()));
            String definition = SqlText.definition(trigger.sql());
            boolean kept = again != null && same(again.table(), now.name())
                    || after.triggersOn(now.name()).stream()
                            .anyMatch(t -> SqlText.definition(t.sql()).equals(definition));
            if (!kept) {
                add(
                        LintRule.REBUILD_LOSES_TRIGGER,
                        left,
                        rebuild + ": the old table, which leaves at line [" + left.line() + "], takes trigger ["
                                + trigger.name() + "] with it, and no statement creates it again");
            }
        }
        String lacks = rebuild + ": the new table created at line [" + created.line() + "] lacks ";
        List<String> oldKey = old.primaryKeyKeys();
        if (!oldKey.isEmpty() && !oldKey.equals(now.primaryKeyKeys())) {
            add(LintRule.REBUILD_LOSES_CONSTRAINT, created, lacks + "PRIMARY KEY (" + String.join(", ", oldKey) + ")");
        }
        for (Index index : before.indexesOn(old.name())) {
            if (!index.automatic() || !index.unique() || "pk".equals(index.origin())) {
                continue;
            }
            boolean kept = after.indexesOn(now.name()).stream()
                    .anyMatch(i -> i.unique() && !i.partial() && i.columnKeys().equals(index.columnKeys()));
            if (!kept) {
                add(
                        LintRule.REBUILD_LOSES_CONSTRAINT,
                        created,
                        lacks + "UNIQUE (" + String.join(", ", index.columns()) + ")");
            }
        }
        for (Check check : old.checks()) {
            // A column's check rewritten on the same column is a changed rule, not a lost one.
            boolean kept = now.checks().stream()
                    .anyMatch(c -> c.expression().equals(check.expression())
                            || check.column() != null && c.column() != null && same(c.column(), check.column()));
            if (!kept) {
                add(LintRule.REBUILD_LOSES_CONSTRAINT, created, lacks + check.describe());
            }
        }
        for (ForeignKey key : old.foreignKeys()) {
            if (now.foreignKeys().stream().noneMatch(k -> k.sameLink(key))) {
                add(LintRule.REBUILD_LOSES_CONSTRAINT, created, lacks + "FOREIGN KEY " + key.describe());
            }
        }
        for (Column column : old.columns()) {
            if (column.hidden() != 1 && now.column(column.name()).isEmpty()) {
                add(
                        LintRule.DROP_COLUMN,
                        created,
                        rebuild + ": the new table created at line [" + created.line() + "] leaves out column ["
                                + column.name() + "]");
            }
        }
        notNull(old, now, created);
    }

    // A column NOT NULL in the new table, nullable in the old, copied as it is.
    private void notNull(Table old, Table now, Event created) {
        int from = events.indexOf(created);
        Event copy = null;
        for (int i = Math.max(from, 0); i < events.size(); i++) {
            Event event = events.get(i);
            if (event.ok()
                    && event.verb() == Shape.Verb.INSERT
                    && event.shape().copy() != null
                    && (same(event.shape().name(), created.shape().name())
                            || same(event.shape().name(), now.name()))) {
                copy = event;
                break;
            }
        }
        if (copy == null) {
            return;
        }
        Shape.Copy what = copy.shape().copy();
        List<Column> insertable = now.columns().stream()
                .filter(c -> !c.generated() && c.hidden() == 0)
                .toList();
        // What SELECT * yields: generated columns too, a virtual table's hidden ones not.
        List<Column> readable =
                old.columns().stream().filter(c -> c.hidden() != 1).toList();
        boolean star = what.items().size() == 1
                && what.items().get(0).size() == 1
                && what.items().get(0).get(0).is('*');
        for (Column column : insertable) {
            if (!column.notNull() || column.primaryKey() > 0 && column.type().equalsIgnoreCase("INTEGER")) {
                continue;
            }
            String source;
            if (!what.columns().isEmpty()) {
                int position = position(what.columns(), column.name());
                if (position < 0) {
                    if (!column.hasNonNullDefault() && !what.ignoring()) {
                        add(
                                LintRule.REBUILD_NOT_NULL,
                                copy,
                                "Table [" + now.name() + "] is rebuilt in [" + file + "]: column [" + column.name()
                                        + "] is NOT NULL without a default, and the copy at line [" + copy.line()
                                        + "] gives it no value");
                    }
                    continue;
                }
                source = position < what.items().size() ? bareName(what.items().get(position)) : null;
            } else {
                int position = insertable.indexOf(column);
                source = star
                        ? position < readable.size() ? readable.get(position).name() : null
                        : position < what.items().size() ? bareName(what.items().get(position)) : null;
            }
            if (source == null) {
                continue;
            }
            Optional<Column> was = old.column(source);
            if (was.isEmpty()
                    || was.get().notNull()
                    || was.get().primaryKey() > 0 && was.get().type().equalsIgnoreCase("INTEGER")
                    || what.ignoring()
                    || filtersNulls(what.where(), source)
                    || backfilled(old.name(), source, copy)) {
                continue;
            }
            add(
                    LintRule.REBUILD_NOT_NULL,
                    copy,
                    "Table [" + now.name() + "] is rebuilt in [" + file + "]: column [" + column.name()
                            + "] becomes NOT NULL, and the copy at line [" + copy.line() + "] takes it from ["
                            + source + "], which may hold NULL in existing rows");
        }
    }

    private static int position(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (Names.same(names.get(i), name)) {
                return i;
            }
        }
        return -1;
    }

    // A select item that is only a column: name, or table.name.
    private static String bareName(List<SqlToken> item) {
        if (item.size() == 1 && item.get(0).isName() && item.get(0).kind() != SqlToken.Kind.STRING) {
            return item.get(0).name();
        }
        if (item.size() == 3 && item.get(1).is('.') && item.get(2).isName()) {
            return item.get(2).name();
        }
        return null;
    }

    private static boolean filtersNulls(List<SqlToken> where, String column) {
        for (int i = 0; i < where.size(); i++) {
            if (where.get(i).isName() && Names.same(where.get(i).name(), column)) {
                int k = i + 1;
                if (k < where.size() && where.get(k).is("NOTNULL")) {
                    return true;
                }
                if (k + 2 < where.size()
                        && where.get(k).is("IS")
                        && where.get(k + 1).is("NOT")
                        && where.get(k + 2).is("NULL")) {
                    return true;
                }
                if (k + 1 < where.size()
                        && where.get(k).is("NOT")
                        && where.get(k + 1).is("NULL")) {
                    return true;
                }
            }
        }
        return false;
    }

    // An UPDATE of the old table before the copy that sets the column.
    private boolean backfilled(String table, String column, Event copy) {
        for (Event event : events) {
            if (event == copy) {
                return false;
            }
            if (event.ok()
                    && event.verb() == Shape.Verb.UPDATE
                    && same(event.shape().name(), table)) {
                List<SqlToken> tokens = event.shape().tokens();
                for (int i = 0; i + 1 < tokens.size(); i++) {
                    if (tokens.get(i).depth() == 0
                            && tokens.get(i).isName()
                            && Names.same(tokens.get(i).name(), column)
                            && tokens.get(i + 1).is('=')) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // Rules that read one statement.
    private void statement(Event event) {
        Shape shape = event.shape();
        if (!event.ok()) {
            add(
                    LintRule.REPLAY_FAILED,
                    event,
                    "Statement [" + event.statement().excerpt() + "]" + at(event) + " fails when replayed: "
                            + event.error());
        }
        for (Features.Use use : Features.newerThan(shape, oldest)) {
            add(
                    LintRule.NEWER_SQLITE,
                    event,
                    use.what() + at(event) + " needs SQLite " + use.since() + "; the oldest SQLite deployed to is "
                            + oldest);
        }
        Optional<Table> existing = shape.name() == null ? Optional.empty() : before.table(shape.name());
        switch (shape.verb()) {
            case ADD_COLUMN:
                if (existing.isPresent() && notNullWithoutDefault(shape.columnDefinition())) {
                    add(
                            LintRule.ADD_COLUMN_NOT_NULL,
                            event,
                            "Column [" + shape.column() + "] added to table [" + shape.name() + "]" + at(event)
                                    + " is NOT NULL without a non-null default: SQLite adds it to an empty table and"
                                    + " fails on a table with rows");
                }
                break;
            case DROP_COLUMN:
                if (event.ok()
                        && existing.flatMap(t -> t.column(shape.column())).isPresent()) {
                    add(
                            LintRule.DROP_COLUMN,
                            event,
                            "Column [" + shape.column() + "] of table [" + shape.name() + "] is dropped" + at(event));
                }
                break;
            case RENAME_COLUMN:
                if (event.ok()
                        && existing.flatMap(t -> t.column(shape.column())).isPresent()) {
                    add(
                            LintRule.RENAME_COLUMN,
                            event,
                            "Column [" + shape.column() + "] of table [" + shape.name() + "] is renamed to ["
                                    + shape.newColumn() + "]" + at(event));
                }
                break;
            default:
                break;
        }
    }

    private static boolean notNullWithoutDefault(List<SqlToken> definition) {
        boolean notNull = false;
        boolean nonNullDefault = false;
        for (int i = 0; i < definition.size(); i++) {
            SqlToken token = definition.get(i);
            if (token.depth() != 0) {
                continue;
            }
            if (token.is("NOT")
                    && i + 1 < definition.size()
                    && definition.get(i + 1).is("NULL")) {
                notNull = true;
            } else if (token.is("DEFAULT") && i + 1 < definition.size()) {
                SqlToken value = definition.get(i + 1);
                boolean nullValue = value.is("NULL")
                        || value.is('(')
                                && i + 3 < definition.size()
                                && definition.get(i + 2).is("NULL")
                                && definition.get(i + 3).is(')');
                nonNullDefault = !nullValue;
            } else if (token.is("AS")
                    && i + 1 < definition.size()
                    && definition.get(i + 1).is('(')) {
                return false; // a generated column has no stored value to default
            }
        }
        return notNull && !nonNullDefault;
    }

    // Only indexes the script made or changed: the reader hands out unchanged ones as they were.
    private void uniqueIndexes() {
        for (Map.Entry<String, Index> entry : after.indexes().entrySet()) {
            Index index = entry.getValue();
            if (!index.unique() || before.indexes().get(entry.getKey()) == index) {
                continue;
            }
            Optional<Table> table = after.table(index.table());
            Optional<Table> was = before.table(index.table());
            if (table.isEmpty() || was.isEmpty() || table.get().kind() != Table.Kind.TABLE) {
                continue;
            }
            boolean existed = before.indexesOn(was.get().name()).stream()
                            .anyMatch(i -> i.unique()
                                    && i.partial() == index.partial()
                                    && i.columnKeys().equals(index.columnKeys())
                                    && (!index.partial() || i.sameDefinition(index)))
                    || "pk".equals(index.origin()) && was.get().primaryKeyKeys().equals(index.columnKeys());
            Optional<Event> made = index.automatic()
                    ? creation(table.get().name())
                    : events.stream()
                            .filter(e -> e.ok()
                                    && e.verb() == Shape.Verb.CREATE_INDEX
                                    && same(e.shape().name(), index.name()))
                            .findFirst();
            if (!existed && made.isPresent()) {
                add(
                        LintRule.UNIQUE_INDEX_ON_EXISTING_TABLE,
                        made.get(),
                        (index.automatic() ? "Unique constraint " : "Unique index [" + index.name() + "] ") + "("
                                + String.join(", ", index.columns()) + ") on existing table ["
                                + table.get().name()
                                + "]" + at(made.get()) + ": rows already there may violate it");
            }
        }
    }

    private void foreignKeys(Set<String> changed) {
        for (Table child : after.tables().values()) {
            if (child.kind() != Table.Kind.TABLE) {
                continue;
            }
            boolean childChanged = changed.contains(Names.key(child.name()));
            for (ForeignKey key : child.foreignKeys()) {
                if (!childChanged && !changed.contains(Names.key(key.parent()))) {
                    continue;
                }
                String problem = problem(key);
                if (problem == null) {
                    continue;
                }
                Optional<Event> cause = childChanged ? definer(child.name()) : Optional.empty();
                if (cause.isEmpty()) {
                    cause = events.stream()
                            .filter(e -> e.ok()
                                    && (same(e.shape().name(), key.parent())
                                            || same(e.shape().on(), key.parent())))
                            .reduce((a, b) -> b);
                }
                if (cause.isEmpty()) {
                    cause = definer(child.name());
                }
                if (cause.isEmpty() && !events.isEmpty()) {
                    cause = Optional.of(events.get(0));
                }
                if (cause.isPresent()) {
                    add(
                            LintRule.FOREIGN_KEY_TARGET,
                            cause.get(),
                            "Foreign key " + key.describe() + " of table [" + child.name() + "]" + at(cause.get())
                                    + ": " + problem);
                }
            }
        }
    }

    // The statement that last defined a table: its CREATE TABLE, or the last ALTER TABLE of it.
    private Optional<Event> definer(String table) {
        Optional<Event> altered = events.stream()
                .filter(e -> e.ok()
                        && same(e.shape().name(), table)
                        && (e.verb() == Shape.Verb.ADD_COLUMN
                                || e.verb() == Shape.Verb.RENAME_COLUMN
                                || e.verb() == Shape.Verb.DROP_COLUMN))
                .reduce((a, b) -> b);
        return altered.isPresent() ? altered : creation(table);
    }

    private String problem(ForeignKey key) {
        Optional<Table> parent = after.table(key.parent());
        if (parent.isEmpty() || parent.get().kind() != Table.Kind.TABLE) {
            if (after.views().containsKey(Names.key(key.parent()))) {
                return "[" + key.parent() + "] is a view, and a foreign key must reference a table";
            }
            return parent.isPresent()
                    ? "[" + key.parent() + "] is a virtual table, and a foreign key must reference an ordinary table"
                    : "table [" + key.parent() + "] does not exist after the script";
        }
        Table table = parent.get();
        List<String> referenced;
        if (key.to().isEmpty()) {
            referenced = table.primaryKeyKeys();
            if (referenced.isEmpty()) {
                return "it names no parent columns, and [" + table.name() + "] has no PRIMARY KEY";
            }
            if (referenced.size() != key.from().size()) {
                return "it has " + key.from().size() + " column(s), and the PRIMARY KEY of [" + table.name() + "] has "
                        + referenced.size();
            }
            return null;
        }
        for (String column : key.to()) {
            if (table.column(column).isEmpty()) {
                return "table [" + table.name() + "] has no column [" + column + "]";
            }
        }
        referenced = key.to().stream().map(Names::key).toList();
        Set<String> wanted = new LinkedHashSet<>(referenced);
        if (wanted.equals(new LinkedHashSet<>(table.primaryKeyKeys()))
                && wanted.size() == table.primaryKeyKeys().size()) {
            return null;
        }
        for (Index index : after.indexesOn(table.name())) {
            if (index.unique()
                    && !index.partial()
                    && new HashSet<>(index.columnKeys()).equals(wanted)
                    && index.columnKeys().size() == wanted.size()) {
                return null;
            }
        }
        return "(" + String.join(", ", key.to()) + ") of [" + table.name()
                + "] is neither its PRIMARY KEY nor a UNIQUE key, so every write to the child fails with"
                + " 'foreign key mismatch'";
    }
}

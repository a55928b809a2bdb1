package org.lockstep.internal.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.lockstep.SchemaDifference;

/**
 * Compares what a database should hold with what it holds, object by object: tables (with
 * their columns, keys and checks), written indexes, triggers and views, by name. Automatic
 * indexes come with their table's constraints and shadow tables with their virtual table, so
 * they are compared through those. SQL is compared in normal form, so a name SQLite re-quoted
 * in a rename or other whitespace is no difference.
 */
public final class SchemaComparison {
    private SchemaComparison() {}

    /**
     * Returns how {@code actual} differs from {@code expected}: tables, indexes, triggers, views,
     * each by name.
     */
    public static List<SchemaDifference> differences(Schema expected, Schema actual) {
        List<SchemaDifference> differences = new ArrayList<>();
        compare(
                "table",
                withoutShadows(expected.tables()),
                withoutShadows(actual.tables()),
                Table::name,
                Table::sql,
                (e, a) -> e.normalized().equals(a.normalized()) ? null : tableDifference(e, a),
                differences);
        compare(
                "index",
                written(expected.indexes()),
                written(actual.indexes()),
                Index::name,
                Index::sql,
                (e, a) -> e.normalized().equals(a.normalized()) ? null : sqlDifference(e.sql(), a.sql()),
                differences);
        compare(
                "trigger",
                expected.triggers(),
                actual.triggers(),
                Trigger::name,
                Trigger::sql,
                (e, a) -> e.normalized().equals(a.normalized()) ? null : sqlDifference(e.sql(), a.sql()),
                differences);
        compare(
                "view",
                expected.views(),
                actual.views(),
                View::name,
                View::sql,
                (e, a) -> e.normalized().equals(a.normalized()) ? null : sqlDifference(e.sql(), a.sql()),
                differences);
        return differences;
    }

    private static Map<String, Table> withoutShadows(Map<String, Table> tables) {
        java.util.HashMap<String, Table> kept = new java.util.HashMap<>(tables);
        kept.values().removeIf(table -> table.kind() == Table.Kind.SHADOW);
        return kept;
    }

    private static Map<String, Index> written(Map<String, Index> indexes) {
        java.util.HashMap<String, Index> kept = new java.util.HashMap<>(indexes);
        kept.values().removeIf(Index::automatic);
        return kept;
    }

    private static <T> void compare(
            String type,
            Map<String, T> expected,
            Map<String, T> actual,
            Function<T, String> name,
            Function<T, String> sql,
            java.util.function.BiFunction<T, T, String> difference,
            List<SchemaDifference> differences) {
        for (String key : new TreeSet<>(union(expected, actual))) {
            T e = expected.get(key);
            T a = actual.get(key);
            if (a == null) {
                differences.add(new SchemaDifference(
                        SchemaDifference.Kind.MISSING, type, name.apply(e), oneLine(sql.apply(e))));
            } else if (e == null) {
                differences.add(
                        new SchemaDifference(SchemaDifference.Kind.EXTRA, type, name.apply(a), oneLine(sql.apply(a))));
            } else {
                String how = difference.apply(e, a);
                if (how != null) {
                    differences.add(new SchemaDifference(SchemaDifference.Kind.DIFFERENT, type, name.apply(a), how));
                }
            }
        }
    }

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String tableDifference(Table expected, Table actual) {
        List<String> parts = new ArrayList<>();
        for (Column column : expected.columns()) {
            if (actual.column(column.name()).isEmpty()) {
                parts.add("column [" + column.name() + "] is missing");
            }
        }
        for (Column column : actual.columns()) {
            java.util.Optional<Column> wanted = expected.column(column.name());
            if (wanted.isEmpty()) {
                parts.add("column [" + column.name() + "] is extra");
            } else {
                String how = column.differenceFrom(wanted.get());
                if (!how.isEmpty()) {
                    parts.add("column [" + column.name() + "]: " + how);
                }
            }
        }
        for (ForeignKey key : expected.foreignKeys()) {
            if (actual.foreignKeys().stream().noneMatch(k -> k.sameLink(key))) {
                parts.add("foreign key " + key.describe() + " is missing");
            }
        }
        for (ForeignKey key : actual.foreignKeys()) {
            if (expected.foreignKeys().stream().noneMatch(k -> k.sameLink(key))) {
                parts.add("foreign key " + key.describe() + " is extra");
            }
        }
        for (Check check : expected.checks()) {
            if (!actual.checks().contains(check)) {
                parts.add(check.describe() + " is missing");
            }
        }
        for (Check check : actual.checks()) {
            if (!expected.checks().contains(check)) {
                parts.add(check.describe() + " is extra");
            }
        }
        if (expected.strict() != actual.strict()) {
            parts.add(actual.strict() ? "is STRICT" : "is not STRICT");
        }
        if (expected.withoutRowid() != actual.withoutRowid()) {
            parts.add(actual.withoutRowid() ? "is WITHOUT ROWID" : "has a rowid");
        }
        if (parts.isEmpty()) {
            return sqlDifference(expected.sql(), actual.sql());
        }
        return String.join("; ", parts);
    }

    private static String sqlDifference(String expected, String actual) {
        return "the scripts make [" + oneLine(expected) + "], the database has [" + oneLine(actual) + "]";
    }

    private static String oneLine(String sql) {
        return sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
    }
}

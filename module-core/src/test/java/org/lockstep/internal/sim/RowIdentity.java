package org.lockstep.internal.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The child table {@code c(key, pid REFERENCES p(id))} of the row-identity dimension, derived
 * from the effects a state holds, and the foreign-key check's rule for which violations a
 * deploy introduced. Parents 1 and 2 exist. Before any effect the table holds rowids 1, 3 and
 * 4 (a gap where a row was deleted), and the row at rowid 3 is an old orphan (parent 99).
 */
final class RowIdentity {
    private static final Set<Integer> PARENTS = Set.of(1, 2);

    /** One row: its rowid (null without rowids), its key, the parent it references. */
    record Row(Long rowid, String key, int pid) {}

    private RowIdentity() {}

    static List<Row> rows(List<String> effects, boolean withoutRowid) {
        List<Row> rows = new ArrayList<>(List.of(row(1, "a", 1), row(3, "old", 99), row(4, "b", 2)));
        int orphans = 0;
        for (String effect : effects) {
            if (effect.equals("c:rebuild")) {
                // CREATE TABLE c_new ...; INSERT INTO c_new SELECT ...; DROP TABLE c; ALTER ... RENAME:
                // the copied rows get new rowids, 1..n.
                List<Row> copied = new ArrayList<>();
                for (Row r : rows) {
                    copied.add(row(copied.size() + 1, r.key(), r.pid()));
                }
                rows = copied;
            } else if (effect.equals("c:orphan")) {
                long next = rows.stream().mapToLong(Row::rowid).max().orElse(0) + 1;
                rows.add(row(next, "new" + ++orphans, 98));
            }
        }
        if (withoutRowid) {
            rows = rows.stream().map(r -> new Row(null, r.key(), r.pid())).toList();
        }
        return rows;
    }

    private static Row row(long rowid, String key, int pid) {
        return new Row(rowid, key, pid);
    }

    /**
     * The violations {@code after} has that {@code before} did not. By value (the fix): the
     * child table, the foreign key and the child's value in it, counted, so a second orphan
     * with an old one's value is new too. By rowid (the fix reverted): a violating row whose
     * rowid was not violating before.
     */
    static List<String> newViolations(
            List<String> beforeEffects, List<String> afterEffects, boolean withoutRowid, boolean byRowid) {
        List<Row> before = orphans(rows(beforeEffects, withoutRowid));
        List<Row> after = orphans(rows(afterEffects, withoutRowid));
        List<String> found = new ArrayList<>();
        if (byRowid) {
            Set<Long> old = new HashSet<>();
            before.forEach(r -> old.add(r.rowid()));
            for (Row r : after) {
                if (!old.contains(r.rowid())) {
                    found.add("table [c] row [" + r.rowid() + "] references a missing row in [p]");
                }
            }
            return found;
        }
        Map<Integer, Integer> counts = new HashMap<>();
        before.forEach(r -> counts.merge(r.pid(), 1, Integer::sum));
        for (Row r : after) {
            if (counts.merge(r.pid(), -1, Integer::sum) < 0) {
                found.add("table [c] (pid) = (" + r.pid() + ") references a missing row in [p]");
            }
        }
        return found;
    }

    private static List<Row> orphans(List<Row> rows) {
        return rows.stream().filter(r -> !PARENTS.contains(r.pid())).toList();
    }
}

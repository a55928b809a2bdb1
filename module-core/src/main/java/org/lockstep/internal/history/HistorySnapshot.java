package org.lockstep.internal.history;

import java.util.List;

/**
 * The committed history as one read saw it.
 *
 * @param tableExists whether the history table exists
 * @param rows its rows, in no particular order; empty if the table does not exist
 * @param hasOtherTables whether the database has tables besides the history table
 * @param format the table's format ({@link HistoryTable#FORMAT} or an older one that this
 *     code still reads and upgrades); 0 if the table does not exist
 */
public record HistorySnapshot(boolean tableExists, List<HistoryRow> rows, boolean hasOtherTables, int format) {
    /** The history of an empty database. */
    public static final HistorySnapshot ABSENT = new HistorySnapshot(false, List.of(), false, 0);

    /** Copies the rows. */
    public HistorySnapshot {
        rows = List.copyOf(rows);
    }

    /** A history in the current format if the table exists. */
    public HistorySnapshot(boolean tableExists, List<HistoryRow> rows, boolean hasOtherTables) {
        this(tableExists, rows, hasOtherTables, tableExists ? HistoryTable.FORMAT : 0);
    }
}

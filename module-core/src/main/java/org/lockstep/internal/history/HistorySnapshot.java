package org.lockstep.internal.history;

import java.util.List;

/**
 * The committed history as one read saw it.
 *
 * @param tableExists whether the history table exists
 * @param rows its rows, in no particular order; empty if the table does not exist
 * @param hasOtherTables whether the database has tables besides the history table
 */
public record HistorySnapshot(boolean tableExists, List<HistoryRow> rows, boolean hasOtherTables) {
    /** The history of an empty database. */
    public static final HistorySnapshot ABSENT = new HistorySnapshot(false, List.of(), false);

    /** Copies the rows. */
    public HistorySnapshot {
        rows = List.copyOf(rows);
    }
}

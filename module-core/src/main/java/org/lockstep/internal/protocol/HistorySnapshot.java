package org.lockstep.internal.protocol;

import java.util.List;

/**
 * The committed history as one read saw it.
 *
 * @param tableExists whether the history table exists
 * @param rows its rows, in no particular order; empty if the table does not exist
 */
public record HistorySnapshot(boolean tableExists, List<HistoryRow> rows) {
    /** The history of a database that has never been migrated. */
    public static final HistorySnapshot ABSENT = new HistorySnapshot(false, List.of());

    /** Copies the rows. */
    public HistorySnapshot {
        rows = List.copyOf(rows);
    }
}

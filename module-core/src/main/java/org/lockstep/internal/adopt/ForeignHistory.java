package org.lockstep.internal.adopt;

import java.util.NavigableMap;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/** How one tool's history table says what is applied. */
interface ForeignHistory {
    /** Returns the tool. */
    MigrationTool tool();

    /**
     * Reads the table, whose columns are this tool's.
     *
     * @param table the table, read whole
     * @param local the local scripts by version
     * @param database the database, for messages
     * @return what it says is applied, and what is reported only
     * @throws org.lockstep.DatabaseException with {@code ADOPTION_BLOCKED} if it records a
     *     migration that failed or did not finish, or {@code ADOPTION_REFUSED} if a row cannot
     *     be read
     */
    Reading read(ForeignTable table, NavigableMap<MigrationVersion, LocalScript> local, String database);
}

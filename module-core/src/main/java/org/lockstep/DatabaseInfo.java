package org.lockstep;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Migrator#inspect()} found out about a database, without a script and without
 * changing anything: where it is, what it is, its history, and whether the migration lock is
 * held right now.
 *
 * @param database the database as messages show it (a file, or a URL with passwords masked)
 * @param exists whether the database exists; false for a SQLite file that is not there, which
 *     inspecting does not create (every other component is then empty or zero)
 * @param product the database product and its version, e.g. {@code SQLite 3.54.1}; empty if it
 *     does not exist
 * @param details what else an operator wants to know, label to value, in display order (for
 *     SQLite its journal mode, for PostgreSQL the history table's schema)
 * @param historyTable the history table's name as configured
 * @param historyExists whether the history table exists
 * @param historyRows how many migrations the history records
 * @param currentVersion the highest applied version, if any
 * @param lock the migration lock right now, if the database exists
 * @param lockHolder who holds the lock, when it is held and the operating system or the server
 *     can tell ({@link LockHolder})
 */
public record DatabaseInfo(
        String database,
        boolean exists,
        String product,
        Map<String, String> details,
        String historyTable,
        boolean historyExists,
        int historyRows,
        Optional<MigrationVersion> currentVersion,
        Optional<Lock> lock,
        Optional<LockHolder> lockHolder) {

    /** The migration lock as a try without waiting found it. */
    public enum Lock {
        /** No other connection holds it: a migrate would take it at once. */
        FREE,
        /** Another connection holds it: a migrate would wait. */
        HELD
    }

    /** Copies the details and checks that no component is null. */
    public DatabaseInfo {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(product, "product");
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        Objects.requireNonNull(historyTable, "historyTable");
        Objects.requireNonNull(currentVersion, "currentVersion");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(lockHolder, "lockHolder");
    }

    /**
     * Creates the report without a lock holder.
     *
     * @param database the database as messages show it
     * @param exists whether the database exists
     * @param product the database product and its version
     * @param details what else an operator wants to know
     * @param historyTable the history table's name as configured
     * @param historyExists whether the history table exists
     * @param historyRows how many migrations the history records
     * @param currentVersion the highest applied version, if any
     * @param lock the migration lock right now, if the database exists
     */
    public DatabaseInfo(
            String database,
            boolean exists,
            String product,
            Map<String, String> details,
            String historyTable,
            boolean historyExists,
            int historyRows,
            Optional<MigrationVersion> currentVersion,
            Optional<Lock> lock) {
        this(
                database,
                exists,
                product,
                details,
                historyTable,
                historyExists,
                historyRows,
                currentVersion,
                lock,
                Optional.empty());
    }
}

package org.lockstep.internal.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrationVersion;

/**
 * One row of the history table: one application of a migration.
 *
 * @param version the applied version; null for a repeatable migration, which has none
 * @param description the migration's description (a repeatable migration is known by it)
 * @param script the script's file name, or the Java migration's class name
 * @param checksum the migration's checksum when it was applied
 * @param appliedAt when it was applied
 * @param appliedBy who applied it
 * @param executionMillis how long it ran
 * @param type what kind of migration it was
 * @param rank its place in the order of applications, from 1; 0 for a row not yet written. A
 *     table of format 1 records none: its rows are ranked by when they were applied, then
 *     by version
 */
public record HistoryRow(
        MigrationVersion version,
        String description,
        String script,
        String checksum,
        Instant appliedAt,
        String appliedBy,
        long executionMillis,
        Type type,
        long rank) {

    /** What kind of migration a row records; the history's {@code type} column holds its name. */
    public enum Type {
        /** A versioned SQL script. */
        SQL,
        /** A versioned Java migration; the row's script is its class name. */
        JAVA,
        /** A repeatable SQL script ({@code R__<description>.sql}): no version; applied again when it changes. */
        REPEATABLE
    }

    /** A row of a versioned SQL script, not yet ranked. */
    public HistoryRow(
            MigrationVersion version,
            String description,
            String script,
            String checksum,
            Instant appliedAt,
            String appliedBy,
            long executionMillis) {
        this(version, description, script, checksum, appliedAt, appliedBy, executionMillis, Type.SQL, 0);
    }

    /** Checks that only a repeatable row has no version. */
    public HistoryRow {
        if ((version == null) != (type == Type.REPEATABLE)) {
            throw new IllegalArgumentException(
                    "A " + type + " row " + (version == null ? "needs a version" : "has no version"));
        }
    }

    /** Returns true if the row records a repeatable migration. */
    public boolean repeatable() {
        return type == Type.REPEATABLE;
    }

    /** Returns the same row with its rank. */
    public HistoryRow ranked(long newRank) {
        return new HistoryRow(
                version, description, script, checksum, appliedAt, appliedBy, executionMillis, type, newRank);
    }

    /** Returns the row as the API reports it. */
    public AppliedMigration toApplied() {
        return new AppliedMigration(
                Optional.ofNullable(version),
                description,
                script,
                appliedAt,
                appliedBy,
                Duration.ofMillis(executionMillis));
    }
}

package org.lockstep.internal.history;

import java.time.Duration;
import java.time.Instant;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrationVersion;

/**
 * One row of the history table.
 *
 * @param version the applied version
 * @param description the script's description
 * @param script the script's file name
 * @param checksum the script's checksum when it was applied
 * @param appliedAt when it was applied
 * @param appliedBy who applied it
 * @param executionMillis how long its statements took
 */
public record HistoryRow(
        MigrationVersion version,
        String description,
        String script,
        String checksum,
        Instant appliedAt,
        String appliedBy,
        long executionMillis) {

    /** Returns the row as the API reports it. */
    public AppliedMigration toApplied() {
        return new AppliedMigration(
                version, description, script, appliedAt, appliedBy, Duration.ofMillis(executionMillis));
    }
}

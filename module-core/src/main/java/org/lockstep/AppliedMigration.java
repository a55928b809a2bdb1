package org.lockstep;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A migration recorded in the history table: what ran, when, by whom and for how long.
 *
 * @param version the migration's version
 * @param description the description taken from the script name
 * @param script the script's file name, e.g. {@code 001_create_notes.sql}
 * @param appliedAt when its first statement started running (UTC); the migrations of one
 *     transaction have their own times, in order
 * @param appliedBy who applied it, e.g. {@code 4711@web-1}
 * @param executionTime how long its statements took
 */
public record AppliedMigration(
        MigrationVersion version,
        String description,
        String script,
        Instant appliedAt,
        String appliedBy,
        Duration executionTime) {

    /** Checks that no component is null. */
    public AppliedMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(appliedBy, "appliedBy");
        Objects.requireNonNull(executionTime, "executionTime");
    }
}

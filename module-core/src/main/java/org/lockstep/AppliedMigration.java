package org.lockstep;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A migration recorded in the history table: what ran, when, by whom and for how long.
 *
 * @param version the migration's version; empty for a repeatable migration
 * @param description the description taken from the script name, or the Java migration's
 * @param script the script's file name, e.g. {@code 001_create_notes.sql}, or the Java
 *     migration's class name
 * @param appliedAt when it started running (UTC); the migrations of one transaction have
 *     their own times, in order
 * @param appliedBy who applied it, e.g. {@code 4711@web-1}
 * @param executionTime how long it ran
 */
public record AppliedMigration(
        Optional<MigrationVersion> version,
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

    /** Returns true for a repeatable migration ({@code R__<description>.sql}), which has no version. */
    public boolean isRepeatable() {
        return version.isEmpty();
    }

    /** Returns what the migration is called in messages: its version, or a repeatable one's description. */
    public String name() {
        return version.map(MigrationVersion::toString).orElse(description);
    }
}

package org.lockstep;

import java.util.Objects;
import java.util.Optional;

/**
 * One known migration as {@link Migrator#status()} reports it: a migration (a script or a
 * {@link JavaMigration}), a history row, or both.
 *
 * @param version the version; empty for a repeatable migration, which is known by its description
 * @param description the description, from the migration or else from the history row
 * @param script the script's file name or the Java migration's class name, from the migration
 *     or else from the history row
 * @param state where the migration stands
 * @param applied the latest history row, if the migration was applied
 */
public record MigrationInfo(
        Optional<MigrationVersion> version,
        String description,
        String script,
        MigrationState state,
        Optional<AppliedMigration> applied) {

    /** Checks that no component is null. */
    public MigrationInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(applied, "applied");
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

package org.lockstep;

import java.util.Objects;
import java.util.Optional;

/**
 * One known migration as {@link Migrator#status()} reports it: a script, a history row, or
 * both.
 *
 * @param version the version
 * @param description the description, from the script or else from the history row
 * @param script the script's file name, from the script or else from the history row
 * @param state where the migration stands
 * @param applied the history row, if the migration is applied
 */
public record MigrationInfo(
        MigrationVersion version,
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
}

package org.lockstep;

import java.util.Objects;

/**
 * A migration that {@link Migrator#migrate()} would apply, as {@link Migrator#dryRun()}
 * reports it.
 *
 * @param version the version
 * @param description the description from the script name
 * @param script the script's file name
 * @param statements how many statements the script has
 */
public record PendingMigration(MigrationVersion version, String description, String script, int statements) {

    /** Checks that no component is null. */
    public PendingMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
    }
}

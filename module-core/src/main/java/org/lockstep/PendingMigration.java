package org.lockstep;

import java.util.Objects;
import java.util.Optional;

/**
 * A migration that {@link Migrator#migrate()} would apply, as {@link Migrator#dryRun()}
 * reports it.
 *
 * @param version the version; empty for a repeatable migration
 * @param description the description from the script name, or the Java migration's
 * @param script the script's file name, or the Java migration's class name
 * @param statements how many statements the script has; 1 for a Java migration
 */
public record PendingMigration(Optional<MigrationVersion> version, String description, String script, int statements) {

    /** Checks that no component is null. */
    public PendingMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
    }

    /** Returns true for a repeatable migration ({@code R__<description>.sql}), which has no version. */
    public boolean isRepeatable() {
        return version.isEmpty();
    }
}

package org.lockstep;

import java.util.Objects;
import java.util.Optional;

/**
 * A migration script as {@link MigrationLocation#scripts()} finds it: its name read by the
 * naming rule, its contents not read.
 *
 * @param version the version from the file name; empty for a repeatable script
 *     ({@code R__<description>.sql})
 * @param description the description from the file name, underscores as spaces
 * @param fileName the file name, without folders
 * @param source where it was found, for messages: a path, a jar entry or a module resource
 */
public record ScriptFile(Optional<MigrationVersion> version, String description, String fileName, String source) {

    /** Checks that no component is null. */
    public ScriptFile {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(source, "source");
    }

    /** Returns true for a repeatable script, which has no version. */
    public boolean isRepeatable() {
        return version.isEmpty();
    }
}

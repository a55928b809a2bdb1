package org.lockstep;

import java.util.Objects;

/**
 * A migration script as {@link MigrationLocation#scripts()} finds it: its name read by the
 * naming rule, its contents not read.
 *
 * @param version the version from the file name
 * @param description the description from the file name, underscores as spaces
 * @param fileName the file name, without folders
 * @param source where it was found, for messages: a path, a jar entry or a module resource
 */
public record ScriptFile(MigrationVersion version, String description, String fileName, String source) {

    /** Checks that no component is null. */
    public ScriptFile {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(source, "source");
    }
}

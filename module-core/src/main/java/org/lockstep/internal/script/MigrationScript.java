package org.lockstep.internal.script;

import java.util.List;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A loaded, parsed migration script.
 *
 * @param version the version from the file name
 * @param description the description from the file name
 * @param fileName the file name, without folders
 * @param source where it was found, for messages
 * @param checksum the SHA-256 of the text with line endings normalised ({@link ScriptText#checksum})
 * @param statements the statements, in order, their text as the file holds it
 */
public record MigrationScript(
        MigrationVersion version,
        String description,
        String fileName,
        String source,
        String checksum,
        List<SqlStatement> statements) {

    /** Copies the statement list. */
    public MigrationScript {
        statements = List.copyOf(statements);
    }
}

package org.lockstep.internal.script;

import java.util.Comparator;
import java.util.List;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A loaded migration script, parsed and ready to run: versioned or repeatable.
 *
 * @param version the version from the file name; null for a repeatable script
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

    /** The order migrations run in: versioned ones by version, then repeatable ones by description. */
    public static final Comparator<MigrationScript> ORDER = Comparator.comparing(
                    MigrationScript::version, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MigrationScript::description);

    /** Copies the statement list. */
    public MigrationScript {
        statements = List.copyOf(statements);
    }

    /** Returns true for a repeatable script, which has no version. */
    public boolean repeatable() {
        return version == null;
    }

    /** Returns true for a Java migration; none yet. */
    public boolean java() {
        return false;
    }

    /** Returns how many steps it runs: its statements. */
    public int steps() {
        return statements.size();
    }
}

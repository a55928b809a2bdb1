package org.lockstep.internal.script;

import java.util.Comparator;
import java.util.List;
import org.lockstep.JavaMigration;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A loaded migration, ready to run: a parsed SQL script (versioned or repeatable), or a
 * {@link JavaMigration}.
 *
 * @param version the version from the file name or the Java migration; null for a repeatable script
 * @param description the description from the file name or the Java migration
 * @param fileName the file name, without folders; for a Java migration its class name, which
 *     the history records as its script
 * @param source where it was found, for messages
 * @param checksum the SHA-256 of the text with line endings normalised ({@link ScriptText#checksum});
 *     for a Java migration what its {@link JavaMigration#checksum()} says
 * @param statements the statements, in order, their text as the file holds it; none for a
 *     Java migration
 * @param code the Java migration; null for a script
 */
public record MigrationScript(
        MigrationVersion version,
        String description,
        String fileName,
        String source,
        String checksum,
        List<SqlStatement> statements,
        JavaMigration code) {

    /**
     * The order migrations run in: versioned ones (scripts and Java migrations) by version,
     * then repeatable ones by description.
     */
    public static final Comparator<MigrationScript> ORDER = Comparator.comparing(
                    MigrationScript::version, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MigrationScript::description);

    /** Copies the statement list; checks that a Java migration has a version. */
    public MigrationScript {
        statements = List.copyOf(statements);
        if (code != null && version == null) {
            throw new IllegalArgumentException("Java migration [" + fileName + "] has no version");
        }
    }

    /** A versioned SQL script. */
    public MigrationScript(
            MigrationVersion version,
            String description,
            String fileName,
            String source,
            String checksum,
            List<SqlStatement> statements) {
        this(version, description, fileName, source, checksum, statements, null);
    }

    /** Returns true for a repeatable script, which has no version. */
    public boolean repeatable() {
        return version == null;
    }

    /** Returns true for a Java migration. */
    public boolean java() {
        return code != null;
    }

    /** Returns how many steps it runs: its statements, or 1 for a Java migration. */
    public int steps() {
        return java() ? 1 : statements.size();
    }
}

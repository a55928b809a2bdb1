package org.lockstep.internal.script;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lockstep.MigrationVersion;

/**
 * The naming rule for scripts. A versioned script is {@code <version>_<description>.sql}, where
 * the version is digits with optional dot-separated parts, with an optional {@code V} prefix,
 * and the separator is {@code _} or {@code __}: {@code 001_create_notes.sql},
 * {@code V2__add_index.sql}, {@code V1.1__fix.sql}. A repeatable script is
 * {@code R__<description>.sql}, as Flyway names it: {@code R__views.sql}.
 *
 * @param version the version; null for a repeatable script
 * @param description the description, with underscores turned into spaces; a repeatable
 *     script is known by it
 */
public record ScriptName(MigrationVersion version, String description) {
    private static final Pattern RULE = Pattern.compile("V?(\\d+(?:\\.\\d+)*)__?([^_].*)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__([^_].*)\\.sql");

    /** Returns true if a file of this name is a script the rule applies to. */
    public static boolean isScript(String fileName) {
        return fileName.endsWith(".sql");
    }

    /** Returns true if the name is a repeatable script's. */
    public boolean repeatable() {
        return version == null;
    }

    /**
     * Parses a script's file name.
     *
     * @param fileName the file name, without folders
     * @return the parsed name, or empty if the name does not follow the rule
     * @throws IllegalArgumentException if the name follows the rule but its version cannot be
     *     used, because a part is too large for a {@code long}; the message says which part
     */
    public static Optional<ScriptName> parse(String fileName) {
        Matcher repeatable = REPEATABLE.matcher(fileName);
        if (repeatable.matches()) {
            String description = repeatable.group(1).replace('_', ' ').strip();
            return description.isEmpty() ? Optional.empty() : Optional.of(new ScriptName(null, description));
        }
        Matcher matcher = RULE.matcher(fileName);
        if (!matcher.matches() || matcher.group(2).isBlank()) {
            return Optional.empty();
        }
        // The rule guarantees the syntax, so MigrationVersion can only refuse a part's size;
        // that reason is the useful one, so it is not swallowed into "does not follow".
        MigrationVersion version = MigrationVersion.parse(matcher.group(1));
        return Optional.of(
                new ScriptName(version, matcher.group(2).replace('_', ' ').strip()));
    }
}

package org.lockstep;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing {@link Migrator#lint()} found in a script.
 *
 * @param rule the rule that found it
 * @param version the script's version
 * @param script the script's file name
 * @param source where the script was found: a path, a jar entry or a module resource
 * @param line the 1-based line of the statement it is about
 * @param message one line naming the script, the line and the object
 * @param allowedBecause the reason given by a {@code -- lockstep:allow} comment on the
 *     statement, if one allows it
 */
public record LintFinding(
        LintRule rule,
        MigrationVersion version,
        String script,
        String source,
        int line,
        String message,
        Optional<String> allowedBecause) {

    /** Checks that no component is null. */
    public LintFinding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(allowedBecause, "allowedBecause");
    }

    /** Returns the rule's level. */
    public LintLevel level() {
        return rule.level();
    }

    /** Returns whether a {@code -- lockstep:allow} comment allows it. */
    public boolean allowed() {
        return allowedBecause.isPresent();
    }
}

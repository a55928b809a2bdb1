package org.lockstep;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link Migrator#lint(LintOptions)} checks against. Immutable; start from
 * {@link #defaults()}.
 *
 * @param sqliteVersion the oldest SQLite the scripts are deployed to, such as {@code 3.31} or
 *     {@code 3.31.1}; empty (the default) for the SQLite of the JDBC driver lint runs on
 * @param pendingOnly whether to report only the scripts the configured database has not applied
 *     (the others are still replayed first); false by default: every script is reported and the
 *     database is not opened
 */
public record LintOptions(Optional<String> sqliteVersion, boolean pendingOnly) {
    private static final Pattern VERSION = Pattern.compile("3\\.\\d{1,3}(\\.\\d{1,3})?");

    /**
     * Checks the version.
     *
     * @throws IllegalArgumentException if the version is not {@code 3.N} or {@code 3.N.M}
     */
    public LintOptions {
        Objects.requireNonNull(sqliteVersion, "sqliteVersion");
        if (sqliteVersion.isPresent() && !VERSION.matcher(sqliteVersion.get()).matches()) {
            throw new IllegalArgumentException(
                    "SQLite version [" + sqliteVersion.get() + "] is not of the form 3.N or 3.N.M, such as 3.31");
        }
    }

    /** Returns the defaults: the driver's SQLite, every script reported. */
    public static LintOptions defaults() {
        return new LintOptions(Optional.empty(), false);
    }

    /**
     * Returns these options with the oldest SQLite deployed to.
     *
     * @param version such as {@code 3.31}
     * @return the new options
     * @throws IllegalArgumentException if the version is not {@code 3.N} or {@code 3.N.M}
     */
    public LintOptions withSqliteVersion(String version) {
        return new LintOptions(Optional.of(version), pendingOnly);
    }

    /**
     * Returns these options reporting only pending scripts, or every script.
     *
     * @param pending whether to report only the scripts the configured database has not applied
     * @return the new options
     */
    public LintOptions withPendingOnly(boolean pending) {
        return new LintOptions(sqliteVersion, pending);
    }
}

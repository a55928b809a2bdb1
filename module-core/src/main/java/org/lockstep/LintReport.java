package org.lockstep;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Migrator#lint()} found.
 *
 * @param findings every finding, allowed ones included, in script and line order
 * @param scriptsReported how many scripts were reported on (pending ones only, if asked)
 * @param scriptsReplayed how many scripts were replayed
 * @param sqliteVersion the SQLite version syntax was checked against, such as {@code 3.31.0}
 * @param driverSqliteVersion the version of the SQLite the scripts were replayed into
 */
public record LintReport(
        List<LintFinding> findings,
        int scriptsReported,
        int scriptsReplayed,
        String sqliteVersion,
        String driverSqliteVersion) {

    /** Copies the list and checks that nothing is null. */
    public LintReport {
        findings = List.copyOf(findings);
        Objects.requireNonNull(sqliteVersion, "sqliteVersion");
        Objects.requireNonNull(driverSqliteVersion, "driverSqliteVersion");
    }

    /** Returns the findings no comment allows. */
    public List<LintFinding> active() {
        return findings.stream().filter(finding -> !finding.allowed()).toList();
    }

    /**
     * Returns whether a finding that no comment allows is at {@code level} or above.
     *
     * @param level the level, such as {@link LintLevel#ERROR}
     * @return whether such a finding exists
     */
    public boolean reaches(LintLevel level) {
        Objects.requireNonNull(level, "level");
        return active().stream().anyMatch(finding -> finding.level().compareTo(level) >= 0);
    }
}

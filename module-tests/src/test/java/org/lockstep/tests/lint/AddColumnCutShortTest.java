package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;

/**
 * An ADD COLUMN cut short after DEFAULT (, DEFAULT (NULL or AS, as a typo leaves it: SQLite
 * refuses it, and the lint says so instead of failing on the definition it reads.
 */
final class AddColumnCutShortTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TEXT NOT NULL DEFAULT (", "TEXT NOT NULL DEFAULT (NULL", "TEXT NOT NULL AS"})
    void anAddColumnCutShortIsReportedAsFailing(String definition) {
        LintReport report = Histories.lint(
                dir,
                Histories.of(
                        "001_base.sql",
                        "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT);\n",
                        "002_change.sql",
                        "ALTER TABLE notes ADD COLUMN body " + definition + ";\n"),
                LintOptions.defaults());

        List<Integer> failed = report.findings().stream()
                .filter(f -> f.rule() == LintRule.REPLAY_FAILED && f.script().equals("002_change.sql"))
                .map(f -> f.line())
                .toList();
        assertEquals(List.of(1), failed, report::toString);
    }
}

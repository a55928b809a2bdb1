package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintFinding;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;

/** Which added columns are NOT NULL without a non-null default, by how the definition says it. */
final class AddColumnNotNullTest {
    private static final String FLAGGED = "Column [c] added to table [notes] in [002_change.sql] at line [%d] is NOT"
            + " NULL without a non-null default: SQLite adds it to an empty table and fails on a table with rows";

    @TempDir
    Path dir;

    static Stream<Arguments> definitions() {
        return Stream.of(
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT NOT NULL;", FLAGGED.formatted(1)),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT NOT NULL DEFAULT NULL;", FLAGGED.formatted(1)),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT DEFAULT (NULL) NOT NULL;", FLAGGED.formatted(1)),
                Arguments.of("\nALTER TABLE notes ADD c TEXT NOT NULL;", FLAGGED.formatted(2)),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT NOT NULL DEFAULT '';", null),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT DEFAULT (1) NOT NULL;", null),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT DEFAULT (NULL || 'x') NOT NULL;", null),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT NOT NULL DEFAULT", FLAGGED.formatted(1)),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT CHECK (c IS NOT NULL);", null),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT NOT;", null),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT AS (upper(title)) NOT NULL;", null),
                Arguments.of("ALTER TABLE notes ADD COLUMN c TEXT;", null),
                Arguments.of("CREATE TABLE fresh (a);\nALTER TABLE fresh ADD COLUMN c TEXT NOT NULL;", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void anAddedColumnIsFlaggedWhenNotNullWithoutANonNullDefault(String script, String expected) {
        LintReport report = Histories.lint(
                dir,
                Histories.of("001_base.sql", LintRulesTest.BASE, "002_change.sql", script + "\n"),
                LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f -> f.rule() == LintRule.ADD_COLUMN_NOT_NULL)
                .map(LintFinding::message)
                .toList();
        assertEquals(expected == null ? List.of() : List.of(expected), found, report::toString);
    }
}

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

/** Which unique indexes and constraints are new on a table that already has rows, and which only were again. */
final class UniqueIndexTest {
    private static final String BASE = """
            CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT, kind TEXT);
            CREATE UNIQUE INDEX codes_label ON codes (label);
            CREATE UNIQUE INDEX codes_kind ON codes (kind) WHERE kind <> '';
            """;
    private static final String REBUILD = """
            CREATE TABLE codes_new (code TEXT PRIMARY KEY, label TEXT, kind TEXT%s);
            INSERT INTO codes_new SELECT * FROM codes;
            DROP TABLE codes;
            ALTER TABLE codes_new RENAME TO codes;
            CREATE UNIQUE INDEX codes_label ON codes (label);
            CREATE UNIQUE INDEX codes_kind ON codes (kind) WHERE kind <> '';
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of(
                        "a new unique index",
                        "CREATE UNIQUE INDEX codes_label_kind ON codes (label, kind);",
                        "Unique index [codes_label_kind] (label, kind) on existing table [codes] in [002_change.sql] at"
                                + " line [1]: rows already there may violate it"),
                Arguments.of("a plain index", "CREATE INDEX codes_label_kind ON codes (label, kind);", null),
                Arguments.of(
                        "the same unique index again",
                        "DROP INDEX codes_label;\nCREATE UNIQUE INDEX codes_label ON codes (label);",
                        null),
                Arguments.of(
                        "the same unique index under another name",
                        "DROP INDEX codes_label;\nCREATE UNIQUE INDEX codes_label_again ON codes (label);",
                        null),
                Arguments.of(
                        "a full unique index where a partial one was",
                        "DROP INDEX codes_kind;\nCREATE UNIQUE INDEX codes_kind ON codes (kind);",
                        "Unique index [codes_kind] (kind) on existing table [codes] in [002_change.sql] at line [2]:"
                                + " rows already there may violate it"),
                Arguments.of(
                        "the same partial unique index again",
                        "DROP INDEX codes_kind;\nCREATE UNIQUE INDEX codes_kind ON codes (kind) WHERE kind <> '';",
                        null),
                Arguments.of(
                        "a partial unique index over more rows",
                        "DROP INDEX codes_kind;\nCREATE UNIQUE INDEX codes_kind ON codes (kind) WHERE kind IS NOT NULL;",
                        "Unique index [codes_kind] (kind) on existing table [codes] in [002_change.sql] at line [2]:"
                                + " rows already there may violate it"),
                Arguments.of(
                        "a unique index on a new table",
                        "CREATE TABLE fresh (a TEXT);\nCREATE UNIQUE INDEX fresh_a ON fresh (a);",
                        null),
                Arguments.of("a rebuild that keeps every unique rule", REBUILD.formatted(""), null),
                Arguments.of(
                        "a rebuild that adds a unique constraint",
                        REBUILD.formatted(", UNIQUE (label, kind)"),
                        "Unique constraint (label, kind) on existing table [codes] in [002_change.sql] at line [1]:"
                                + " rows already there may violate it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void aUniqueRuleIsFlaggedOnlyWhereItIsNewOnAnExistingTable(String name, String script, String expected) {
        LintReport report = Histories.lint(
                dir, Histories.of("001_base.sql", BASE, "002_change.sql", script + "\n"), LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f -> f.rule() == LintRule.UNIQUE_INDEX_ON_EXISTING_TABLE)
                .map(LintFinding::message)
                .toList();
        assertEquals(expected == null ? List.of() : List.of(expected), found, report::toString);
    }
}

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

/**
 * When a rebuild that makes {@code body} NOT NULL is flagged: by how the copy names its columns
 * ({@code *}, a list, qualified names), whether it filters or backfills the NULLs first, and
 * whether it gives the column a value at all.
 */
final class RebuildNotNullTest {
    private static final String NEW_TABLE = """
            CREATE TABLE notes_new (
                id    INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                body  TEXT NOT NULL%s,
                tag   TEXT
            );
            """;
    private static final String SWAP = """
            DROP TABLE notes;
            ALTER TABLE notes_new RENAME TO notes;
            CREATE INDEX notes_title ON notes (title);
            CREATE TRIGGER notes_no_empty_title BEFORE INSERT ON notes
            WHEN new.title = ''
            BEGIN
                SELECT raise(ABORT, 'empty title');
            END;
            """;
    // The copy is on line 7 of every script: six lines of CREATE TABLE (and a backfill, if any, in place of none).
    private static final String TAKES_BODY =
            "Table [notes] is rebuilt in [002_change.sql]: column [body] becomes NOT NULL,"
                    + " and the copy at line [%d] takes it from [body], which may hold NULL in existing rows";
    private static final String NO_VALUE = "Table [notes] is rebuilt in [002_change.sql]: column [body] is NOT NULL"
            + " without a default, and the copy at line [%d] gives it no value";

    @TempDir
    Path dir;

    private static String rebuild(String defaultClause, String before, String copy) {
        return NEW_TABLE.formatted(defaultClause) + before + copy + "\n" + SWAP;
    }

    static Stream<Arguments> copies() {
        String flagged = TAKES_BODY.formatted(7);
        return Stream.of(
                Arguments.of(
                        "a column list",
                        rebuild(
                                "",
                                "",
                                "INSERT INTO notes_new (id, title, body, tag) SELECT id, title, body, tag FROM notes;"),
                        flagged),
                Arguments.of("a star", rebuild("", "", "INSERT INTO notes_new SELECT * FROM notes;"), flagged),
                Arguments.of(
                        "qualified names",
                        rebuild("", "", "INSERT INTO notes_new SELECT n.id, n.title, n.body, n.tag FROM notes AS n;"),
                        flagged),
                Arguments.of(
                        "a filter on another column",
                        rebuild("", "", "INSERT INTO notes_new SELECT * FROM notes WHERE title IS NOT NULL;"),
                        flagged),
                Arguments.of(
                        "a filter IS NULL",
                        rebuild("", "", "INSERT INTO notes_new SELECT * FROM notes WHERE body IS NULL OR 1;"),
                        flagged),
                Arguments.of(
                        "a filter IS NOT NULL",
                        rebuild("", "", "INSERT INTO notes_new SELECT * FROM notes WHERE body IS NOT NULL;"),
                        null),
                Arguments.of(
                        "a filter NOTNULL",
                        rebuild("", "", "INSERT INTO notes_new SELECT * FROM notes WHERE body NOTNULL;"),
                        null),
                Arguments.of(
                        "a filter NOT NULL",
                        rebuild("", "", "INSERT INTO notes_new SELECT * FROM notes WHERE body NOT NULL;"),
                        null),
                Arguments.of(
                        "OR IGNORE", rebuild("", "", "INSERT OR IGNORE INTO notes_new SELECT * FROM notes;"), null),
                Arguments.of(
                        "a backfill before",
                        rebuild(
                                "",
                                "UPDATE notes SET body = '' WHERE body IS NULL;\n",
                                "INSERT INTO notes_new SELECT * FROM notes;"),
                        null),
                Arguments.of(
                        "an update that reads the column",
                        rebuild(
                                "",
                                "UPDATE notes SET tag = body WHERE body IS NULL;\n",
                                "INSERT INTO notes_new SELECT * FROM notes;"),
                        TAKES_BODY.formatted(8)),
                Arguments.of(
                        "a backfill of another table",
                        rebuild("", "UPDATE tags SET name = name;\n", "INSERT INTO notes_new SELECT * FROM notes;"),
                        TAKES_BODY.formatted(8)),
                Arguments.of(
                        "an expression",
                        rebuild("", "", "INSERT INTO notes_new SELECT id, title, coalesce(body, ''), tag FROM notes;"),
                        null),
                Arguments.of(
                        "a constant",
                        rebuild("", "", "INSERT INTO notes_new SELECT id, title, 'x', tag FROM notes;"),
                        null),
                Arguments.of(
                        "no value",
                        rebuild("", "", "INSERT INTO notes_new (id, title, tag) SELECT id, title, tag FROM notes;"),
                        NO_VALUE.formatted(7)),
                Arguments.of(
                        "no value but a default",
                        rebuild(
                                " DEFAULT ''",
                                "",
                                "INSERT INTO notes_new (id, title, tag) SELECT id, title, tag FROM notes;"),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copies")
    void aRebuildMakingAColumnNotNullIsFlaggedUnlessTheCopyKeepsNullsOut(String name, String script, String expected) {
        LintReport report = Histories.lint(
                dir,
                Histories.of("001_base.sql", LintRulesTest.BASE, "002_change.sql", script),
                LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f -> f.rule() == LintRule.REBUILD_NOT_NULL)
                .map(LintFinding::message)
                .toList();
        assertEquals(expected == null ? List.of() : List.of(expected), found, report::toString);
    }
}

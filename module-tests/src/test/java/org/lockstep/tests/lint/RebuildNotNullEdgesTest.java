package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintRule;

/**
 * The edges of the rule that flags a rebuild making a column NOT NULL: which columns it skips
 * (an INTEGER PRIMARY KEY, which SQLite fills itself), which it does not (a TEXT primary key, a
 * plain INTEGER column), a generated column in the new table, a filter or an update that names the
 * column last, and copies the rule cannot read through, which must not fail the lint.
 */
final class RebuildNotNullEdgesTest {
    private static final String BASE = """
            CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT, hits INTEGER);
            CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT);
            CREATE TABLE items (id INTEGER, name TEXT);
            """;
    private static final String NOTES_NEW =
            "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, hits INTEGER);\n";
    private static final String NOTES_SWAP = "DROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;\n";

    @TempDir
    Path dir;

    private static String takes(String table, String column, int line, String source) {
        return "Table [" + table + "] is rebuilt in [002_change.sql]: column [" + column + "] becomes NOT NULL, and the"
                + " copy at line [" + line + "] takes it from [" + source + "], which may hold NULL in existing rows";
    }

    private List<String> notNullFindings(String script) {
        return Histories.messages(dir, BASE, script, LintRule.REBUILD_NOT_NULL);
    }

    static Stream<Arguments> rebuilds() {
        return Stream.of(
                Arguments.of(
                        "a filter that names the column last and lets NULL through",
                        NOTES_NEW + "INSERT INTO notes_new SELECT * FROM notes WHERE body IS NULL OR title <> body;\n"
                                + NOTES_SWAP,
                        List.of(takes("notes", "body", 2, "body"))),
                Arguments.of(
                        "an update that names the column last without setting it",
                        "UPDATE notes SET hits = 0 WHERE hits IS NULL AND body;\n" + NOTES_NEW
                                + "INSERT INTO notes_new SELECT * FROM notes;\n" + NOTES_SWAP,
                        List.of(takes("notes", "body", 3, "body"))),
                Arguments.of("a rebuild that copies nothing", NOTES_NEW + NOTES_SWAP, List.of()),
                Arguments.of(
                        "the column first in the copy's list",
                        NOTES_NEW
                                + "INSERT INTO notes_new (body, id, title, hits) SELECT body, id, title, hits FROM notes;\n"
                                + NOTES_SWAP,
                        List.of(takes("notes", "body", 2, "body"))),
                Arguments.of(
                        "a plain INTEGER column made NOT NULL",
                        NOTES_NEW.replace("body TEXT NOT NULL, hits INTEGER", "body TEXT, hits INTEGER NOT NULL")
                                + "INSERT INTO notes_new SELECT * FROM notes;\n" + NOTES_SWAP,
                        List.of(takes("notes", "hits", 2, "hits"))),
                Arguments.of(
                        "the old table renamed away and the copy into the new one under its final name",
                        "ALTER TABLE notes RENAME TO notes_old;\n" + NOTES_NEW
                                + "ALTER TABLE notes_new RENAME TO notes;\nINSERT INTO notes SELECT * FROM notes_old;\n"
                                + "DROP TABLE notes_old;\n",
                        List.of(takes("notes", "body", 4, "body"))),
                Arguments.of(
                        "a generated column in the new table takes no value of the copy",
                        NOTES_NEW.replace("title TEXT NOT NULL,", "title TEXT NOT NULL, slug TEXT AS (lower(title)),")
                                + "INSERT INTO notes_new SELECT id, title, body, hits FROM notes;\n" + NOTES_SWAP,
                        List.of(takes("notes", "body", 2, "body"))),
                Arguments.of(
                        "a TEXT primary key made NOT NULL (SQLite lets such a key hold NULL)",
                        "CREATE TABLE codes_new (code TEXT NOT NULL PRIMARY KEY, label TEXT);\n"
                                + "INSERT INTO codes_new SELECT * FROM codes;\nDROP TABLE codes;\n"
                                + "ALTER TABLE codes_new RENAME TO codes;\n",
                        List.of(takes("codes", "code", 2, "code"))),
                Arguments.of(
                        "an INTEGER PRIMARY KEY NOT NULL, which SQLite fills with a rowid where NULL comes",
                        "CREATE TABLE items_new (id INTEGER NOT NULL PRIMARY KEY, name TEXT);\n"
                                + "INSERT INTO items_new SELECT * FROM items;\nDROP TABLE items;\n"
                                + "ALTER TABLE items_new RENAME TO items;\n",
                        List.of()),
                Arguments.of(
                        "an INTEGER PRIMARY KEY copied into a NOT NULL column of another type",
                        "CREATE TABLE notes_new (id INT NOT NULL, title TEXT NOT NULL, body TEXT, hits INTEGER);\n"
                                + "INSERT INTO notes_new SELECT * FROM notes;\n" + NOTES_SWAP,
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebuilds")
    void aRebuildMakingAColumnNotNullIsFlaggedByWhereTheCopyTakesItFrom(
            String name, String script, List<String> expected) {
        assertEquals(expected, notNullFindings(script));
    }

    static Stream<Arguments> unreadCopies() {
        return Stream.of(
                Arguments.of(
                        "a column list and a star",
                        "INSERT INTO notes_new (id, title, body, hits) SELECT * FROM notes;"),
                Arguments.of("a qualified star", "INSERT INTO notes_new SELECT n.* FROM notes AS n;"),
                Arguments.of(
                        "a star and a constant",
                        "INSERT INTO notes_new (id, title, body, hits) SELECT *, 0 FROM"
                                + " (SELECT id, title, body FROM notes);"));
    }

    // The rule does not match these copies' items to columns; it must still lint them, and never
    // name a source the copy does not take a NOT NULL column from.
    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadCopies")
    void aCopyWhoseItemsAreFewerThanTheColumnsIsLintedWithoutAWrongSource(String name, String copy) {
        List<String> found = notNullFindings(NOTES_NEW + copy + "\n" + NOTES_SWAP);

        assertTrue(found.stream().allMatch(m -> m.equals(takes("notes", "body", 2, "body"))), found::toString);
    }
}

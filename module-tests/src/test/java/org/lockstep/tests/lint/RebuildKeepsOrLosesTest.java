package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;

/**
 * What counts as keeping an index, trigger, check or foreign key through a rebuild: one made
 * again under its own name is kept whatever its new definition, and one lost is lost even when
 * the new table has others of its kind.
 */
final class RebuildKeepsOrLosesTest {
    private static final String BASE = """
            CREATE TABLE authors (id INTEGER PRIMARY KEY);
            CREATE TABLE log (line TEXT);
            CREATE TABLE books (id INTEGER PRIMARY KEY, isbn TEXT, pages INTEGER CHECK (pages > 0),
                author_id INTEGER REFERENCES authors (id), editor_id INTEGER, note TEXT);
            CREATE INDEX books_author ON books (author_id);
            CREATE TRIGGER books_logged AFTER INSERT ON books BEGIN INSERT INTO log VALUES (new.isbn); END;
            """;
    // Line 1 creates the new table; the old one leaves at line 3.
    private static final String TABLE = "CREATE TABLE books_new (id INTEGER PRIMARY KEY, isbn TEXT,"
            + " pages INTEGER CHECK (pages > 0), author_id INTEGER REFERENCES authors (id), editor_id INTEGER,"
            + " note TEXT);\n";
    private static final String SWAP =
            "INSERT INTO books_new SELECT * FROM books;\nDROP TABLE books;\nALTER TABLE books_new RENAME TO books;\n";
    private static final String INDEX = "CREATE INDEX books_author ON books (author_id);\n";
    private static final String TRIGGER =
            "CREATE TRIGGER books_logged AFTER INSERT ON books BEGIN INSERT INTO log VALUES (new.isbn); END;\n";
    private static final String REBUILT = "Table [books] is rebuilt in [002_change.sql]";

    @TempDir
    Path dir;

    static Stream<Arguments> rebuilds() {
        return Stream.of(
                Arguments.of(
                        "an index made again under its name on another column",
                        TABLE + SWAP + INDEX.replace("(author_id)", "(note)") + TRIGGER,
                        List.of()),
                Arguments.of(
                        "a trigger made again under its name with another body",
                        TABLE + SWAP + INDEX + TRIGGER.replace("new.isbn", "new.note"),
                        List.of()),
                Arguments.of(
                        "a trigger lost while another is made",
                        TABLE
                                + SWAP
                                + INDEX
                                + TRIGGER.replace("books_logged", "books_counted")
                                        .replace("new.isbn", "1"),
                        List.of("REBUILD_LOSES_TRIGGER " + REBUILT + ": the old table, which leaves at line [3], takes"
                                + " trigger [books_logged] with it, and no statement creates it again")),
                Arguments.of(
                        "a check lost while another column gets one",
                        TABLE.replace(" CHECK (pages > 0)", "")
                                        .replace("note TEXT", "note TEXT CHECK (length(note) < 500)")
                                + SWAP
                                + INDEX
                                + TRIGGER,
                        List.of("REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                + " CHECK (pages > 0) on column [pages]")),
                Arguments.of(
                        "a foreign key lost while another column gets one",
                        TABLE.replace(
                                        " REFERENCES authors (id), editor_id INTEGER",
                                        ", editor_id INTEGER REFERENCES authors (id)")
                                + SWAP
                                + INDEX
                                + TRIGGER,
                        List.of("REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                + " FOREIGN KEY (author_id) REFERENCES authors (id)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebuilds")
    void aRebuildKeepsWhatItMakesAgainUnderTheSameNameAndLosesWhatItDoesNot(
            String name, String script, List<String> expected) {
        LintReport report = Histories.lint(
                dir, Histories.of("001_base.sql", BASE, "002_change.sql", script), LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f -> f.rule().name().startsWith("REBUILD_LOSES"))
                .map(f -> f.rule() + " " + f.message())
                .toList();
        assertEquals(expected, found, report::toString);
    }
}

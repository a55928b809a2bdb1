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
import org.lockstep.LintRule;

/**
 * What a rebuild of a table loses, and what it keeps by other means: an index or trigger made
 * again under another name, a unique index in place of a UNIQUE constraint, a rewritten check.
 */
final class RebuildLosesTest {
    private static final String BASE = """
            CREATE TABLE authors (id INTEGER PRIMARY KEY);
            CREATE TABLE log (line TEXT);
            CREATE TABLE books (
                id        INTEGER PRIMARY KEY,
                isbn      TEXT NOT NULL UNIQUE,
                pages     INTEGER CHECK (pages > 0),
                author_id INTEGER REFERENCES authors (id),
                note      TEXT
            );
            CREATE INDEX books_author ON books (author_id);
            CREATE TRIGGER books_logged AFTER INSERT ON books BEGIN INSERT INTO log VALUES (new.isbn); END;
            """;
    // Line 1 creates the new table; the copy, the drop (where the old table leaves) and the rename follow.
    private static final String TABLE = """
            CREATE TABLE books_new (
                id        INTEGER PRIMARY KEY,
                isbn      TEXT NOT NULL UNIQUE,
                pages     INTEGER CHECK (pages > 0),
                author_id INTEGER REFERENCES authors (id),
                note      TEXT
            );
            """;
    private static final String SWAP = """
            INSERT INTO books_new SELECT * FROM books;
            DROP TABLE books;
            ALTER TABLE books_new RENAME TO books;
            """;
    private static final String AGAIN = """
            CREATE INDEX books_author ON books (author_id);
            CREATE TRIGGER books_logged AFTER INSERT ON books BEGIN INSERT INTO log VALUES (new.isbn); END;
            """;
    private static final String REBUILT = "Table [books] is rebuilt in [002_change.sql]";

    @TempDir
    Path dir;

    static Stream<Arguments> rebuilds() {
        String copyAll = "INSERT INTO books_new SELECT * FROM books;";
        return Stream.of(
                Arguments.of("everything kept", TABLE + SWAP + AGAIN, List.of()),
                Arguments.of(
                        "index and trigger made again under other names",
                        TABLE
                                + SWAP
                                + AGAIN.replace("INDEX books_author", "INDEX books_by_author")
                                        .replace("TRIGGER books_logged", "TRIGGER books_logged_again"),
                        List.of()),
                Arguments.of(
                        "index and trigger dropped on purpose",
                        "DROP INDEX books_author;\nDROP TRIGGER books_logged;\n" + TABLE + SWAP,
                        List.of()),
                Arguments.of(
                        "index lost",
                        TABLE + SWAP + AGAIN.lines().skip(1).map(l -> l + "\n").reduce("", String::concat),
                        List.of("REBUILD_LOSES_INDEX " + REBUILT + ": the old table, which leaves at line [9], takes"
                                + " index [books_author] (author_id) with it, and no statement creates it again")),
                Arguments.of(
                        "index made again on other columns",
                        TABLE
                                + SWAP
                                + AGAIN.replace(
                                        "INDEX books_author ON books (author_id)", "INDEX books_note ON books (note)"),
                        List.of("REBUILD_LOSES_INDEX " + REBUILT + ": the old table, which leaves at line [9], takes"
                                + " index [books_author] (author_id) with it, and no statement creates it again")),
                Arguments.of(
                        "trigger lost",
                        TABLE + SWAP + AGAIN.lines().limit(1).map(l -> l + "\n").reduce("", String::concat),
                        List.of("REBUILD_LOSES_TRIGGER " + REBUILT + ": the old table, which leaves at line [9], takes"
                                + " trigger [books_logged] with it, and no statement creates it again")),
                Arguments.of(
                        "unique constraint lost",
                        TABLE.replace("NOT NULL UNIQUE", "NOT NULL") + SWAP + AGAIN,
                        List.of("REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                + " UNIQUE (isbn)")),
                Arguments.of(
                        "unique constraint kept as a unique index",
                        TABLE.replace("NOT NULL UNIQUE", "NOT NULL") + SWAP + AGAIN
                                + "CREATE UNIQUE INDEX books_isbn ON books (isbn);\n",
                        List.of()),
                Arguments.of(
                        "unique constraint kept only for some rows",
                        TABLE.replace("NOT NULL UNIQUE", "NOT NULL") + SWAP + AGAIN
                                + "CREATE UNIQUE INDEX books_isbn ON books (isbn) WHERE isbn <> '';\n",
                        List.of(
                                "REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                        + " UNIQUE (isbn)",
                                "UNIQUE_INDEX_ON_EXISTING_TABLE Unique index [books_isbn] (isbn) on existing table [books]"
                                        + " in [002_change.sql] at line [13]: rows already there may violate it")),
                Arguments.of(
                        "primary key lost",
                        TABLE.replace("id        INTEGER PRIMARY KEY", "id        INTEGER") + SWAP + AGAIN,
                        List.of("REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                + " PRIMARY KEY (id)")),
                Arguments.of(
                        "check rewritten on its column",
                        TABLE.replace("CHECK (pages > 0)", "CHECK (pages >= 1)") + SWAP + AGAIN,
                        List.of()),
                Arguments.of(
                        "check lost",
                        TABLE.replace(" CHECK (pages > 0)", "") + SWAP + AGAIN,
                        List.of("REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                + " CHECK (pages > 0) on column [pages]")),
                Arguments.of(
                        "foreign key lost",
                        TABLE.replace(" REFERENCES authors (id)", "") + SWAP + AGAIN,
                        List.of("REBUILD_LOSES_CONSTRAINT " + REBUILT + ": the new table created at line [1] lacks"
                                + " FOREIGN KEY (author_id) REFERENCES authors (id)")),
                Arguments.of(
                        "column left out",
                        TABLE.replace(",\n    note      TEXT", "")
                                + SWAP.replace(
                                        copyAll, "INSERT INTO books_new SELECT id, isbn, pages, author_id FROM books;")
                                + AGAIN,
                        List.of("DROP_COLUMN " + REBUILT + ": the new table created at line [1] leaves out column"
                                + " [note]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebuilds")
    void aRebuildIsHeldAgainstTheOldTable(String name, String script, List<String> expected) {
        LintReport report = Histories.lint(
                dir, Histories.of("001_base.sql", BASE, "002_change.sql", script), LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f -> f.rule() != LintRule.DROP_TABLE)
                .map(f -> f.rule() + " " + f.message())
                .toList();
        assertEquals(expected, found, report::toString);
    }
}

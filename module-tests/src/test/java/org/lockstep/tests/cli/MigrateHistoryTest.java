package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A realistic history of five scripts applied by {@code lockstep migrate}, then re-applied and reported. */
final class MigrateHistoryTest {
    private static final String WELCOME_BODY =
            "Lines end with ;\n-- this is not a comment\n" + "/* nor is this */ and it's fine";

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void writeHistory() {
        workspace = Workspace.in(root);
        workspace.script("001_create_authors_and_notes.sql", """
                -- Authors write notes; a note belongs to one author.
                CREATE TABLE authors (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );

                CREATE TABLE notes (
                    id INTEGER PRIMARY KEY,
                    author_id INTEGER NOT NULL REFERENCES authors(id),
                    title TEXT NOT NULL,
                    body TEXT NOT NULL DEFAULT ''
                );
                """);
        workspace.script("V1.1__index_notes_by_author.sql", """
                CREATE INDEX notes_by_author ON notes (author_id);
                """);
        workspace.script("002_classify_note_size.sql", """
                ALTER TABLE notes ADD COLUMN size_class TEXT;

                /* Classify each note when it is written; the CASE ... END sits inside the
                   trigger's BEGIN ... END body and must not end it; */
                CREATE TRIGGER notes_size_class AFTER INSERT ON notes
                BEGIN
                    UPDATE notes
                       SET size_class = CASE
                               WHEN length(NEW.body) < 20 THEN 'short'
                               WHEN length(NEW.body) < 200 THEN 'medium'
                               ELSE 'long'
                           END
                     WHERE id = NEW.id;
                END;
                """);
        workspace.script("V3__seed_welcome_note.sql", """
                INSERT INTO authors (id, name) VALUES (1, 'O''Brien; the -- editor');
                INSERT INTO notes (author_id, title, body)
                VALUES (1, 'Welcome; read me', 'Lines end with ;
                -- this is not a comment
                /* nor is this */ and it''s fine');
                """);
        workspace.script("004_note_titles_and_audit.sql", """
                CREATE VIEW note_titles AS
                    SELECT n.title, a.name AS author FROM notes n JOIN authors a ON a.id = n.author_id;
                -- The last statement has no semicolon.
                CREATE TABLE "audit; log" ([when] TEXT NOT NULL, `what;` TEXT NOT NULL)""");
        workspace.script("README.txt", "Not a script; ignored.");
    }

    @Test
    void migrateAppliesEveryScriptInVersionOrderWithOneLinePerScript() {
        Workspace.Run run = workspace.lockstep("migrate");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> applied = run.outLinesStartingWith("Applied ");
        assertEquals(5, applied.size(), run::toString);
        assertAll(
                () -> assertTrue(applied.get(0).startsWith("Applied 001 "), applied::toString),
                () -> assertTrue(applied.get(1).startsWith("Applied 1.1 "), applied::toString),
                () -> assertTrue(applied.get(2).startsWith("Applied 002 "), applied::toString),
                () -> assertTrue(applied.get(3).startsWith("Applied 3 "), applied::toString),
                () -> assertTrue(applied.get(4).startsWith("Applied 004 "), applied::toString));
        assertEquals(List.of("001", "1.1", "002", "3", "004"), workspace.appliedVersions());
        assertEquals(
                List.of(
                        "index notes_by_author",
                        "table audit; log",
                        "table authors",
                        "table notes",
                        "table schema_migrations",
                        "trigger notes_size_class",
                        "view note_titles"),
                workspace.schemaObjects());
    }

    @Test
    void stringsWithSemicolonsAndCommentMarkersArriveIntactAndTheTriggerWithCaseRuns() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());

        assertEquals(List.of(List.of("O'Brien; the -- editor")), workspace.rows("SELECT name FROM authors"));
        assertEquals(
                List.of(List.of("Welcome; read me", WELCOME_BODY, "medium")),
                workspace.rows("SELECT title, body, size_class FROM notes"));
        assertEquals(
                List.of(List.of("Welcome; read me", "O'Brien; the -- editor")),
                workspace.rows("SELECT title, author FROM note_titles"));
    }

    @Test
    void secondMigrateIsANoOpThatSaysUpToDate() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        List<List<String>> history = workspace.history();
        List<List<String>> schema = workspace.sqliteMaster();

        Workspace.Run again = workspace.lockstep("migrate");

        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("up to date"), again::toString);
        assertEquals(List.of(), again.outLinesStartingWith("Applied "), again::toString);
        assertEquals(history, workspace.history());
        assertEquals(schema, workspace.sqliteMaster());
        assertEquals(List.of("1"), workspace.column("SELECT count(*) FROM notes"));
        assertEquals(List.of("1"), workspace.column("SELECT count(*) FROM authors"));
    }

    @Test
    void statusListsEveryVersionAsApplied() {
        assertEquals(0, workspace.lockstep("migrate", "--owner", "deployer@ci").exitCode());

        Workspace.Run status = workspace.lockstep("status");

        assertEquals(0, status.exitCode(), status::toString);
        for (String script : List.of(
                "001_create_authors_and_notes.sql",
                "V1.1__index_notes_by_author.sql",
                "002_classify_note_size.sql",
                "V3__seed_welcome_note.sql",
                "004_note_titles_and_audit.sql")) {
            List<String> lines =
                    status.out().lines().filter(line -> line.contains(script)).toList();
            assertEquals(1, lines.size(), () -> script + " in\n" + status);
            assertTrue(lines.get(0).contains("APPLIED"), lines::toString);
            assertTrue(lines.get(0).contains("deployer@ci"), lines::toString);
        }
        assertTrue(status.out().lines().noneMatch(line -> line.contains("PENDING")), status::toString);
    }

    @Test
    void statusJsonHasTheDocumentedShape() {
        assertEquals(0, workspace.lockstep("migrate", "--owner", "deployer@ci").exitCode());
        List<List<String>> history =
                workspace.rows("SELECT version, description, script, applied_at FROM schema_migrations ORDER BY rowid");

        Workspace.Run status = workspace.lockstep("status", "--json");

        assertEquals(0, status.exitCode(), status::toString);
        String json = status.out().strip();
        assertTrue(json.startsWith("{\"migrations\":[{") && json.endsWith("}]}"), json);
        Pattern item = Pattern.compile("\\{\"version\":\"([^\"]*)\",\"description\":\"([^\"]*)\","
                + "\"script\":\"([^\"]*)\",\"state\":\"([^\"]*)\",\"appliedAt\":\"([^\"]*)\","
                + "\"appliedBy\":\"([^\"]*)\"\\}");
        Matcher matcher = item.matcher(json);
        int count = 0;
        StringBuilder rebuilt = new StringBuilder("{\"migrations\":[");
        while (matcher.find()) {
            List<String> row = history.get(count);
            assertEquals(row.get(0), matcher.group(1), json);
            assertEquals(row.get(1), matcher.group(2), json);
            assertEquals(row.get(2), matcher.group(3), json);
            assertEquals("APPLIED", matcher.group(4), json);
            assertEquals(row.get(3), matcher.group(5), json);
            assertEquals("deployer@ci", matcher.group(6), json);
            rebuilt.append(count == 0 ? "" : ",").append(matcher.group());
            count++;
        }
        assertEquals(5, count, json);
        assertEquals(rebuilt.append("]}").toString(), json, "nothing but the documented fields");
    }
}

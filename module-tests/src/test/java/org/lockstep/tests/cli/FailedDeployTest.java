package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deploy of four scripts whose third fails: exit 1, a precise message, and nothing of it left behind. */
final class FailedDeployTest {
    private static final String FIRST = """
            CREATE TABLE notes (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL
            );
            INSERT INTO notes (title) VALUES ('kept from version 1');
            """;
    private static final String SECOND = """
            CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes(id), name TEXT NOT NULL);
            CREATE INDEX tags_by_name ON tags (name);
            """;
    // The failing statement starts on line 6 and fails on line 7.
    private static final String THIRD = """
            -- Backfill the new tags.
            INSERT INTO tags (note_id, name) VALUES (1, 'first; tag');

            ALTER TABLE notes ADD COLUMN rank INTEGER;

            UPDATE notes
               SET missing_column = 'x'
             WHERE id = 1;
            """;
    private static final String FOURTH = """
            CREATE TABLE later (id INTEGER PRIMARY KEY);
            """;

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = Workspace.in(root);
    }

    private void writeAllFour() {
        workspace.script("001_create_notes.sql", FIRST);
        workspace.script("002_create_tags.sql", SECOND);
        workspace.script("003_backfill_tags.sql", THIRD);
        workspace.script("004_create_later.sql", FOURTH);
    }

    private static void assertNamesTheFailure(Workspace.Run run) {
        assertEquals(1, run.exitCode(), run::toString);
        assertAll(
                () -> assertTrue(run.err().contains("[003]"), run::toString),
                () -> assertTrue(run.err().contains("[003_backfill_tags.sql]"), run::toString),
                () -> assertTrue(run.err().contains("line [6]"), run::toString),
                () -> assertTrue(run.err().contains("no such column: missing_column"), run::toString),
                () -> assertTrue(run.err().contains("UPDATE notes"), run::toString));
    }

    @Test
    void failureInTheThirdScriptOfAFreshDeployLeavesNoTablesAtAll() {
        writeAllFour();

        Workspace.Run run = workspace.lockstep("migrate");

        assertNamesTheFailure(run);
        assertEquals(List.of(), run.outLinesStartingWith("Applied "), run::toString);
        if (Files.exists(workspace.database())) {
            assertEquals(List.of(), workspace.sqliteMaster(), "not even the history table");
        }
    }

    @Test
    void failureInAFreshDeployOfAnEmptyDatabaseFileLeavesItsSchemaAsItWas() throws Exception {
        Files.createFile(workspace.database());
        List<List<String>> before = workspace.sqliteMaster();
        writeAllFour();

        Workspace.Run run = workspace.lockstep("migrate");

        assertNamesTheFailure(run);
        assertEquals(List.of(), before);
        assertEquals(before, workspace.sqliteMaster());
    }

    @Test
    void failureInADeployOfTwoToFourLeavesADatabaseAtVersionOneUnchanged() {
        workspace.script("001_create_notes.sql", FIRST);
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        List<List<String>> schema = workspace.sqliteMaster();
        List<List<String>> history = workspace.history();
        List<List<String>> notes = workspace.rows("SELECT * FROM notes");
        workspace.script("002_create_tags.sql", SECOND);
        workspace.script("003_backfill_tags.sql", THIRD);
        workspace.script("004_create_later.sql", FOURTH);

        Workspace.Run run = workspace.lockstep("migrate");

        assertNamesTheFailure(run);
        assertEquals(schema, workspace.sqliteMaster());
        assertEquals(history, workspace.history());
        assertEquals(notes, workspace.rows("SELECT * FROM notes"), "no column added, no row changed");
        assertEquals(List.of("001"), workspace.appliedVersions());
    }

    @Test
    void perMigrationKeepsTheScriptsBeforeTheFailingOneAndNothingOfTheRest() {
        writeAllFour();

        Workspace.Run run = workspace.lockstep("migrate", "--per-migration");

        assertNamesTheFailure(run);
        assertEquals(List.of("001", "002"), workspace.appliedVersions());
        assertEquals(List.of("index tags_by_name", "table notes", "table schema_migrations", "table tags"),
                workspace.schemaObjects());
        assertEquals(List.of("0"), workspace.column("SELECT count(*) FROM tags"), "003's insert rolled back");
        assertEquals(List.of(List.of("1", "kept from version 1")), workspace.rows("SELECT * FROM notes"),
                "003's new column rolled back");
    }

    @Test
    void fixingTheFailedScriptLetsTheNextMigrateApplyTheRest() {
        writeAllFour();
        assertEquals(1, workspace.lockstep("migrate").exitCode());
        workspace.script("003_backfill_tags.sql", THIRD.replace("missing_column", "rank"));

        Workspace.Run run = workspace.lockstep("migrate");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(4, run.outLinesStartingWith("Applied ").size(), run::toString);
        assertEquals(List.of("001", "002", "003", "004"), workspace.appliedVersions());
    }
}

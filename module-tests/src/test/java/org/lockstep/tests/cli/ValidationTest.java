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

/** Scripts that disagree with the history: {@code validate} and {@code migrate} exit 4 and change nothing. */
final class ValidationTest {
    private static final int VALIDATION_FAILED = 4;
    private static final String EDITED_FIRST = "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT);\n";

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void applyTwoScripts() {
        workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT);\n");
        workspace.script("003_create_tags.sql", "CREATE TABLE tags (name TEXT);\n");
        Workspace.Run run = workspace.lockstep("migrate");
        assertEquals(0, run.exitCode(), run::toString);
    }

    private static void assertValidationFailed(Workspace.Run run, String problem, String version, String script) {
        assertEquals(VALIDATION_FAILED, run.exitCode(), run::toString);
        assertAll(
                () -> assertTrue(run.err().contains(problem), run::toString),
                () -> assertTrue(run.err().contains("[" + version + "]"), run::toString),
                () -> assertTrue(run.err().contains(script), run::toString));
    }

    @Test
    void untouchedScriptsPassValidation() {
        Workspace.Run run = workspace.lockstep("validate");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Validation passed"), run::toString);
    }

    @Test
    void scriptEditedAfterItWasAppliedFailsValidateWithItsVersionAndFile() {
        workspace.script("001_create_notes.sql", EDITED_FIRST);

        Workspace.Run run = workspace.lockstep("validate");

        assertValidationFailed(run, "checksum", "001", "001_create_notes.sql");
    }

    @Test
    void scriptEditedAfterItWasAppliedStopsMigrateBeforeAnythingIsApplied() {
        List<List<String>> schema = workspace.sqliteMaster();
        List<List<String>> history = workspace.history();
        workspace.script("001_create_notes.sql", EDITED_FIRST);
        workspace.script("004_create_labels.sql", "CREATE TABLE labels (name TEXT);\n");

        Workspace.Run run = workspace.lockstep("migrate");

        assertValidationFailed(run, "checksum", "001", "001_create_notes.sql");
        assertEquals(List.of(), run.outLinesStartingWith("Applied "), run::toString);
        assertEquals(schema, workspace.sqliteMaster(), "004 not applied");
        assertEquals(history, workspace.history());
    }

    @Test
    void statusShowsTheEditedScriptAsChecksumMismatch() {
        workspace.script("001_create_notes.sql", EDITED_FIRST);

        assertStatus("001_create_notes.sql", "CHECKSUM_MISMATCH");
    }

    private void assertStatus(String script, String state) {
        Workspace.Run run = workspace.lockstep("status");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(
                run.out().lines().anyMatch(line -> line.contains(script) && line.contains(state)),
                () -> script + " " + state + " in\n" + run);
    }

    @Test
    void deletedAppliedScriptIsAMissingScript() throws Exception {
        List<List<String>> history = workspace.history();
        Files.delete(workspace.migrations().resolve("001_create_notes.sql"));

        Workspace.Run validate = workspace.lockstep("validate");
        Workspace.Run migrate = workspace.lockstep("migrate");

        assertValidationFailed(validate, "no migration", "001", "001_create_notes.sql");
        assertValidationFailed(migrate, "no migration", "001", "001_create_notes.sql");
        assertEquals(history, workspace.history());
        assertStatus("001_create_notes.sql", "MISSING_SCRIPT");
    }

    @Test
    void newScriptBelowTheHighestAppliedVersionIsOutOfOrderAndNotApplied() {
        List<List<String>> schema = workspace.sqliteMaster();
        workspace.script("002_create_authors.sql", "CREATE TABLE authors (name TEXT);\n");

        Workspace.Run validate = workspace.lockstep("validate");
        Workspace.Run migrate = workspace.lockstep("migrate");

        assertValidationFailed(validate, "out of order", "002", "002_create_authors.sql");
        assertValidationFailed(migrate, "out of order", "002", "002_create_authors.sql");
        assertEquals(schema, workspace.sqliteMaster());
        assertEquals(List.of("001", "003"), workspace.appliedVersions());
        assertStatus("002_create_authors.sql", "OUT_OF_ORDER");
    }

    @Test
    void outOfOrderOptionAppliesTheLowerVersion() {
        workspace.script("002_create_authors.sql", "CREATE TABLE authors (name TEXT);\n");

        Workspace.Run run = workspace.lockstep("migrate", "--out-of-order");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, run.outLinesStartingWith("Applied 002 ").size(), run::toString);
        assertEquals(List.of("001", "003", "002"), workspace.appliedVersions());
        assertEquals(
                List.of("table authors"),
                workspace.column("SELECT type || ' ' || name FROM sqlite_master WHERE name = 'authors'"));
        assertEquals(0, workspace.lockstep("validate").exitCode(), "applied, so no longer out of order");
    }
}

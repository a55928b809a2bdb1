package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} reads only: on a database that does not exist yet, everything is pending and no file appears. */
final class StatusTest {
    private static final List<String> SCRIPTS =
            List.of("001_create_notes.sql", "V1.1__index_notes.sql", "2_create_tags.sql");

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void writeScripts() {
        workspace = Workspace.in(root);
        workspace.script(SCRIPTS.get(0), "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT);\n");
        workspace.script(SCRIPTS.get(1), "CREATE INDEX notes_by_title ON notes (title);\n");
        workspace.script(SCRIPTS.get(2), "CREATE TABLE tags (name TEXT);\n");
    }

    @Test
    void statusOfADatabaseThatDoesNotExistShowsEveryScriptPendingAndCreatesNoFile() {
        Workspace.Run run = workspace.lockstep("status");

        assertEquals(0, run.exitCode(), run::toString);
        for (String script : SCRIPTS) {
            assertTrue(
                    run.out().lines().anyMatch(line -> line.contains(script) && line.contains("PENDING")),
                    () -> script + " in\n" + run);
        }
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void statusJsonOfADatabaseThatDoesNotExistShowsEveryScriptPendingAndCreatesNoFile() {
        Workspace.Run run = workspace.lockstep("status", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(
                "{\"migrations\":["
                        + "{\"version\":\"001\",\"description\":\"create notes\",\"script\":\"001_create_notes.sql\","
                        + "\"state\":\"PENDING\",\"appliedAt\":null,\"appliedBy\":null},"
                        + "{\"version\":\"1.1\",\"description\":\"index notes\",\"script\":\"V1.1__index_notes.sql\","
                        + "\"state\":\"PENDING\",\"appliedAt\":null,\"appliedBy\":null},"
                        + "{\"version\":\"2\",\"description\":\"create tags\",\"script\":\"2_create_tags.sql\","
                        + "\"state\":\"PENDING\",\"appliedAt\":null,\"appliedBy\":null}]}",
                run.out().strip());
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void validateOfADatabaseThatDoesNotExistPassesAndCreatesNoFile() {
        Workspace.Run run = workspace.lockstep("validate");

        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void statusMixesAppliedAndPendingAfterAPartialHistory() throws Exception {
        Files.delete(workspace.migrations().resolve(SCRIPTS.get(2)));
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        workspace.script(SCRIPTS.get(2), "CREATE TABLE tags (name TEXT);\n");
        byte[] before = Workspace.bytes(workspace.database());

        Workspace.Run run = workspace.lockstep("status");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(
                run.out().lines().anyMatch(line -> line.contains(SCRIPTS.get(0)) && line.contains("APPLIED")),
                run::toString);
        assertTrue(
                run.out().lines().anyMatch(line -> line.contains(SCRIPTS.get(1)) && line.contains("APPLIED")),
                run::toString);
        assertTrue(
                run.out().lines().anyMatch(line -> line.contains(SCRIPTS.get(2)) && line.contains("PENDING")),
                run::toString);
        assertArrayEquals(before, Workspace.bytes(workspace.database()), "status only reads");
    }
}

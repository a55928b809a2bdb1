package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baseline --version V} adopts a live database once, and is refused where it would rewrite or invent. */
final class BaselineTest {
    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void writeScripts() {
        workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\n");
        workspace.script("002_create_tags.sql", "CREATE TABLE tags (id INTEGER);\n");
        workspace.script("003_create_links.sql", "CREATE TABLE links (id INTEGER);\n");
    }

    @Test
    void baselineRecordsVersionsUpToItsVersionAndMigrateAppliesOnlyLaterOnes() {
        workspace.execute("CREATE TABLE notes (id INTEGER)", "CREATE TABLE tags (id INTEGER)");

        Workspace.Run baseline = workspace.lockstep("baseline", "--version", "2");
        Workspace.Run migrate = workspace.lockstep("migrate");

        assertEquals(0, baseline.exitCode(), baseline::toString);
        assertEquals(2, baseline.outLinesStartingWith("Recorded ").size(), baseline::toString);
        assertEquals(0, migrate.exitCode(), migrate::toString);
        assertEquals(
                List.of("Applied 003 create links"),
                migrate.outLinesStartingWith("Applied ").stream()
                        .map(line -> line.replaceAll(" \\(\\d+ ms\\)", ""))
                        .toList());
        assertEquals(List.of("001", "002", "003"), workspace.appliedVersions());
    }

    @Test
    void baselineJsonListsTheRecordedMigrations() {
        workspace.execute("CREATE TABLE notes (id INTEGER)");

        Workspace.Run run = workspace.lockstep("baseline", "--version", "1", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("{\"database\":"), run::toString);
        assertTrue(run.out().contains("\"baseline\":\"1\",\"recorded\":[{\"version\":\"001\""), run::toString);
    }

    @Test
    void baselineOnceHistoryExistsIsRefusedAndChangesNothing() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        List<List<String>> history = workspace.history();

        Workspace.Run run = workspace.lockstep("baseline", "--version", "2");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("lockstep baseline: "), run::toString);
        assertEquals(history, workspace.history());
    }

    @Test
    void baselineOfAMissingDatabaseIsRefusedAndCreatesNoFile() {
        Workspace.Run run = workspace.lockstep("baseline", "--version", "2");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("[" + workspace.database() + "] does not exist"), run::toString);
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void baselineWithoutOrWithABadVersionIsBadInput() {
        workspace.execute("CREATE TABLE notes (id INTEGER)");

        Workspace.Run none = workspace.lockstep("baseline");
        Workspace.Run bad = workspace.lockstep("baseline", "--version", "two");

        assertEquals(2, none.exitCode(), none::toString);
        assertTrue(none.err().contains("--version"), none::toString);
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("[two]"), bad::toString);
        assertEquals(List.of("table notes"), workspace.schemaObjects());
    }
}

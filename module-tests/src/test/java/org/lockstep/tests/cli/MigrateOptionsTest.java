package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate --target}, {@code --dry-run}, {@code --quiet}, {@code --json}, progress, and their variables. */
final class MigrateOptionsTest {
    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void writeScripts() {
        workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\nINSERT INTO notes VALUES (1);\n");
        workspace.script("002_create_tags.sql", "CREATE TABLE tags (id INTEGER);\n");
        workspace.script("003_create_links.sql", "CREATE TABLE links (id INTEGER);\n");
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "LOCKSTEP_DATABASE",
                workspace.database().toString(),
                "LOCKSTEP_MIGRATIONS",
                workspace.migrations().toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void targetAppliesPendingMigrationsUpToItsVersionOnly() {
        Workspace.Run run = workspace.lockstep("migrate", "--target", "2");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("001", "002"), workspace.appliedVersions());
        assertTrue(run.out().contains("at version 002 (target 2)"), run::toString);
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        assertEquals(List.of("001", "002", "003"), workspace.appliedVersions());
    }

    @Test
    void targetFromTheEnvironmentAndTheCommandLineWins() {
        assertEquals(0, Workspace.run(env("LOCKSTEP_TARGET", "1"), "migrate").exitCode());
        assertEquals(List.of("001"), workspace.appliedVersions());

        assertEquals(
                0,
                Workspace.run(env("LOCKSTEP_TARGET", "1"), "migrate", "--target", "3")
                        .exitCode());
        assertEquals(List.of("001", "002", "003"), workspace.appliedVersions());
    }

    @Test
    void badTargetIsNamedAndChangesNothing() {
        Workspace.Run run = workspace.lockstep("migrate", "--target", "v2");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("[v2]"), run::toString);
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void dryRunOfANewDatabasePrintsThePlanAndCreatesNoFile() {
        Workspace.Run run = workspace.lockstep("migrate", "--dry-run");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Dry run: 3 migrations would be applied"), run::toString);
        assertTrue(
                run.out().lines().anyMatch(line -> line.matches(" +001 +create notes +001_create_notes.sql +2")),
                run::toString);
        assertTrue(run.out().contains("Nothing was changed."), run::toString);
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void dryRunWithTargetAndJsonListsOnlyWhatThatMigrateWouldApply() {
        assertEquals(0, workspace.lockstep("migrate", "--target", "1").exitCode());
        List<List<String>> history = workspace.history();

        Workspace.Run run = workspace.lockstep("migrate", "--dry-run", "--target", "2", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(
                "{\"database\":" + "\"" + workspace.database() + "\",\"dryRun\":true,\"pending\":["
                        + "{\"version\":\"002\",\"description\":\"create tags\",\"script\":\"002_create_tags.sql\","
                        + "\"statements\":1}]}",
                run.out().strip());
        assertEquals(history, workspace.history());
    }

    @Test
    void dryRunOfAnUpToDateDatabaseSaysSo() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());

        Workspace.Run run = Workspace.run(env("LOCKSTEP_DRY_RUN", "true"), "migrate");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("up to date; nothing would be applied"), run::toString);
    }

    @Test
    void quietPrintsNothingAndJsonPrintsOneObject() {
        Workspace.Run quiet = workspace.lockstep("migrate", "--target", "1", "--quiet");
        Workspace.Run json = workspace.lockstep("migrate", "--json", "--target", "2");

        assertEquals(0, quiet.exitCode(), quiet::toString);
        assertEquals("", quiet.out() + quiet.err());
        assertEquals(0, json.exitCode(), json::toString);
        assertTrue(
                json.out().strip().matches("\\{\"database\":.*,\"target\":\"2\",\"currentVersion\":\"002\".*}"),
                json::toString);
    }

    @Test
    void flagsComeFromTheEnvironmentAsTrueOrFalse() {
        Workspace.Run quiet = Workspace.run(env("LOCKSTEP_QUIET", "TRUE", "LOCKSTEP_TARGET", "1"), "migrate");
        Workspace.Run notQuiet = Workspace.run(env("LOCKSTEP_QUIET", "false", "LOCKSTEP_TARGET", "2"), "migrate");
        Workspace.Run bad = Workspace.run(env("LOCKSTEP_JSON", "yes"), "migrate");

        assertEquals("", quiet.out(), quiet::toString);
        assertTrue(notQuiet.out().startsWith("Applied 002"), notQuiet::toString);
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("[LOCKSTEP_JSON]") && bad.err().contains("[yes]"), bad::toString);
        assertEquals(List.of("001", "002"), workspace.appliedVersions());
    }

    @Test
    void aMigrationThatRunsOverASecondReportsItsProgressOnStderr() {
        workspace.script(
                "004_count_a_lot.sql",
                "CREATE TABLE numbers AS WITH RECURSIVE n (i) AS (SELECT 1"
                        + " UNION ALL SELECT i + 1 FROM n WHERE i < 6000000) SELECT i FROM n;\nDROP TABLE numbers;\n");

        Workspace.Run run = workspace.lockstep("migrate");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(
                run.err().lines().anyMatch(line -> line.matches("  004 count a lot: statement 1 of 2, \\d+\\.\\d s")),
                run::toString);
        assertEquals(0, workspace.lockstep("migrate", "--quiet").exitCode());
    }
}

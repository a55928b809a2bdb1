package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo} and {@code stress} run in-process, and start real worker processes of the command
 * (re-launched from this class-path JVM on a module path). Their verification blocks are the
 * assertions: the commands check the database, not log lines.
 */
final class HerdTest {
    @TempDir
    Path root;

    private static List<String> verification(Workspace.Run run) {
        List<String> lines = run.out().lines().toList();
        int start = lines.indexOf("Verification");
        assertTrue(start >= 0, run::toString);
        return lines.subList(start + 1, lines.size());
    }

    private static void assertDemoPassed(Workspace.Run run, int workers) {
        assertEquals(0, run.exitCode(), run::toString);
        List<String> verification = verification(run);
        assertEquals(
                "  ok    each of the 6 versions is in the history exactly once", verification.get(0), run::toString);
        assertEquals(
                "  ok    every worker exited 0 (" + workers + " of " + workers + ")",
                verification.get(1),
                run::toString);
        assertEquals("  ok    integrity check: ok", verification.get(2), run::toString);
        assertTrue(verification.get(3).matches("  total time \\d+\\.\\d\\d s"), run::toString);
        assertEquals(
                1,
                run.out()
                        .lines()
                        .filter(line -> line.matches("  worker-\\d+ +applied 6; .*exit 0"))
                        .count(),
                () -> "one worker applied all six in one transaction:\n" + run);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void demoWithFourWorkersAppliesEachMigrationOnceAndPassesItsChecks() {
        Workspace.Run run = Workspace.run(
                Map.of(), "demo", "--database", root.resolve("demo.db").toString());

        assertDemoPassed(run, 4);
        assertTrue(run.out().contains("4 workers migrate one database"), run::toString);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void demoWithTwentyWorkersFromTheEnvironmentPassesItsChecks() {
        Workspace.Run run = Workspace.run(
                Map.of(
                        "LOCKSTEP_WORKERS",
                        "20",
                        "LOCKSTEP_DATABASE",
                        root.resolve("demo.db").toString()),
                "demo");

        assertDemoPassed(run, 20);
        assertTrue(run.out().lines().filter(line -> line.contains("waited")).count() >= 1, run::toString);
    }

    @Test
    void badWorkerCountIsNamed() {
        Workspace.Run bad = Workspace.run(Map.of(), "demo", "--workers", "0");

        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("[--workers]") && bad.err().contains("[0]"), bad::toString);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stressWithKillsLeavesEachVersionOnceAndAnIntactDatabase() throws Exception {
        Workspace workspace = Workspace.in(root);
        workspace.script(
                "001_create_notes.sql",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT);\n"
                        + "INSERT INTO notes (title) VALUES ('welcome');\n");
        workspace.script(
                "002_backfill.sql",
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                        + " WHERE i < 200000) INSERT INTO notes (title) SELECT 'note ' || i FROM n;\n");
        workspace.script("003_index.sql", "CREATE INDEX notes_title ON notes (title);\n");

        Workspace.Run run = workspace.lockstep(
                "stress", "--workers", "6", "--kill-rate", "0.5", "--seed", "7", "--per-migration", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"seed\":7,"), run::toString);
        assertTrue(run.out().contains("\"passed\":true}"), run::toString);
        assertEquals(
                List.of("001", "002", "003"),
                workspace.appliedVersions().stream().sorted().toList());
        assertEquals(List.of("1"), workspace.column("SELECT count(*) FROM notes WHERE title = 'welcome'"));
        assertEquals(List.of("ok"), workspace.column("PRAGMA integrity_check"));
        assertTrue(Files.exists(workspace.database()));
    }

    @Test
    void stressWithoutScriptsOrWithABadKillRateIsBadInput() {
        Workspace workspace = Workspace.in(root);

        Workspace.Run noMigrations = Workspace.run(
                Map.of(), "stress", "--database", workspace.database().toString());
        Workspace.Run badRate = workspace.lockstep("stress", "--kill-rate", "2");

        assertEquals(2, noMigrations.exitCode(), noMigrations::toString);
        assertTrue(noMigrations.err().contains("--migrations"), noMigrations::toString);
        assertEquals(2, badRate.exitCode(), badRate::toString);
        assertTrue(badRate.err().contains("[--kill-rate]") && badRate.err().contains("[2]"), badRate::toString);
    }
}

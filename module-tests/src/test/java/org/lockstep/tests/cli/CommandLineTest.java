package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --help}, {@code --version} and commands the tool does not know. */
final class CommandLineTest {
    private static final List<String> MIGRATE_OPTIONS = List.of(
            "--database",
            "--url",
            "--migrations",
            "--history-table",
            "--lock-timeout",
            "--owner",
            "--target",
            "--dry-run",
            "--per-migration",
            "--out-of-order",
            "--json",
            "--quiet",
            "--verbose",
            "--help");

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Workspace.Run run = Workspace.run(Map.of(), "--help");

        assertEquals(0, run.exitCode(), run::toString);
        for (String command :
                List.of("migrate", "validate", "status", "info", "new", "baseline", "demo", "stress", "--version")) {
            assertTrue(run.out().contains(command), () -> command + " in\n" + run);
        }
        assertEquals("", run.err());
    }

    @Test
    void migrateHelpListsEveryOptionOfMigrate() {
        Workspace.Run run = Workspace.run(Map.of(), "migrate", "--help");

        assertEquals(0, run.exitCode(), run::toString);
        for (String option : MIGRATE_OPTIONS) {
            assertTrue(
                    run.out().lines().anyMatch(line -> line.strip().startsWith(option + " ")),
                    () -> option + " in\n" + run);
        }
        assertTrue(run.out().contains("LOCKSTEP_DATABASE") && run.out().contains("LOCKSTEP_MIGRATIONS"), run::toString);
    }

    @Test
    void helpListsEveryExitCodeAndHidesTheWorkerCommand() {
        Workspace.Run run = Workspace.run(Map.of(), "--help");

        for (int code : List.of(0, 1, 2, 3, 4, 5, 6, 7, 130, 143)) {
            int shown = code;
            assertTrue(
                    run.out().lines().anyMatch(line -> line.startsWith("  " + shown + "  ")),
                    () -> shown + " in\n" + run);
        }
        assertTrue(run.out().lines().noneMatch(line -> line.strip().startsWith("worker")), run::toString);
    }

    @Test
    void everyCommandHasHelpWithItsUsageAndEveryOptionHasAVariable() {
        for (String command : List.of("migrate", "validate", "status", "info", "new", "baseline", "demo", "stress")) {
            Workspace.Run run = Workspace.run(Map.of(), command, "--help");

            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().startsWith("Usage: lockstep " + command + " "), run::toString);
            long options = run.out()
                    .lines()
                    .filter(line -> line.matches("  --[a-z-]+ .*"))
                    .count();
            long variables = run.out()
                    .lines()
                    .filter(line -> line.matches("  LOCKSTEP_[A-Z_]+ +--[a-z-]+"))
                    .count();
            assertEquals(options - 1, variables, () -> "every option but --help has a variable:\n" + run);
        }
    }

    @Test
    void helpCommandShowsTheSameOptionsAsCommandHelp() {
        assertEquals(Workspace.run(Map.of(), "migrate", "--help"), Workspace.run(Map.of(), "help", "migrate"));
    }

    @Test
    void versionPrintsTheToolNameAndAVersion() {
        Workspace.Run run = Workspace.run(Map.of(), "--version");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Pattern.matches("lockstep \\d+\\.\\d+\\.\\d+\\S*", run.out().strip()), run::toString);
    }

    @Test
    void unknownCommandIsNamedAndExitsTwo() {
        Workspace.Run run = Workspace.run(Map.of(), "upgrade", "--database", "x.db");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("upgrade"), run::toString);
    }

    @Test
    void noArgumentsPrintsHelpAndExitsTwo() {
        Workspace.Run run = Workspace.run(Map.of());

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.out().contains("migrate"), run::toString);
    }
}

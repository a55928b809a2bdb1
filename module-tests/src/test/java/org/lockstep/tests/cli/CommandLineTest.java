package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --help}, {@code --version} and commands the tool does not know. */
final class CommandLineTest {
    private static final List<String> MIGRATE_OPTIONS = List.of("--database", "--url", "--migrations",
            "--history-table", "--lock-timeout", "--owner", "--per-migration", "--out-of-order", "--json",
            "--quiet", "--verbose", "--help");

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Workspace.Run run = Workspace.run(Map.of(), "--help");

        assertEquals(0, run.exitCode(), run::toString);
        for (String command : List.of("migrate", "validate", "status", "--version")) {
            assertTrue(run.out().contains(command), () -> command + " in\n" + run);
        }
        assertEquals("", run.err());
    }

    @Test
    void migrateHelpListsEveryOptionOfMigrate() {
        Workspace.Run run = Workspace.run(Map.of(), "migrate", "--help");

        assertEquals(0, run.exitCode(), run::toString);
        for (String option : MIGRATE_OPTIONS) {
            assertTrue(run.out().lines().anyMatch(line -> line.strip().startsWith(option + " ")),
                    () -> option + " in\n" + run);
        }
        assertTrue(run.out().contains("LOCKSTEP_DATABASE") && run.out().contains("LOCKSTEP_MIGRATIONS"),
                run::toString);
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

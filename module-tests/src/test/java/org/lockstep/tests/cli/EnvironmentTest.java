package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code LOCKSTEP_DATABASE} and {@code LOCKSTEP_MIGRATIONS} stand in for the options; the command line wins. */
final class EnvironmentTest {
    @TempDir
    Path root;

    private Workspace fromEnv;
    private Workspace fromArgs;

    @BeforeEach
    void createTwoWorkspaces() {
        fromEnv = Workspace.in(root.resolve("env"));
        fromEnv.script("001_create_from_env.sql", "CREATE TABLE from_env (id INTEGER);\n");
        fromArgs = Workspace.in(root.resolve("args"));
        fromArgs.script("001_create_from_args.sql", "CREATE TABLE from_args (id INTEGER);\n");
    }

    private Map<String, String> env() {
        return Map.of(
                "LOCKSTEP_DATABASE",
                fromEnv.database().toString(),
                "LOCKSTEP_MIGRATIONS",
                fromEnv.migrations().toString());
    }

    @Test
    void databaseAndMigrationsComeFromTheEnvironment() {
        Workspace.Run run = Workspace.run(env(), "migrate");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("table from_env", "table schema_migrations"), fromEnv.schemaObjects());
        assertEquals(0, Workspace.run(env(), "validate").exitCode());
    }

    @Test
    void commandLineDatabaseWinsOverTheEnvironment() {
        Workspace.Run run = Workspace.run(
                env(), "migrate", "--database", fromArgs.database().toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(
                List.of("table from_env", "table schema_migrations"),
                fromArgs.schemaObjects(),
                "the database from the command line, the migrations from the environment");
        assertFalse(Files.exists(fromEnv.database()));
    }

    @Test
    void commandLineMigrationsWinOverTheEnvironment() {
        Workspace.Run run = Workspace.run(
                env(), "migrate", "--migrations", fromArgs.migrations().toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(
                List.of("table from_args", "table schema_migrations"),
                fromEnv.schemaObjects(),
                "the migrations from the command line, the database from the environment");
    }

    @Test
    void commandLineWinsForBothAtOnce() {
        Workspace.Run run = Workspace.run(
                env(),
                "migrate",
                "--database",
                fromArgs.database().toString(),
                "--migrations",
                fromArgs.migrations().toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("table from_args", "table schema_migrations"), fromArgs.schemaObjects());
        assertFalse(Files.exists(fromEnv.database()));
    }

    @Test
    void emptyEnvironmentVariablesCountAsAbsent() {
        Workspace.Run run = Workspace.run(Map.of("LOCKSTEP_DATABASE", "", "LOCKSTEP_MIGRATIONS", ""), "migrate");

        assertEquals(2, run.exitCode(), run::toString);
    }
}

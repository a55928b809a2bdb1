package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info} shows the database, journal mode, SQLite version, history and the write lock; it creates nothing. */
final class InfoTest {
    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void migrateTwoScripts() {
        workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\n");
        workspace.script("V1.10__index_notes.sql", "CREATE INDEX notes_id ON notes (id);\n");
    }

    private Workspace.Run info(String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "info";
        args[1] = "--database";
        args[2] = workspace.database().toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        return Workspace.run(Map.of(), args);
    }

    @Test
    void infoOfAMigratedDatabaseShowsEveryFactAndAFreeLock() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());

        Workspace.Run run = info();

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(workspace.database().toString()), run::toString);
        assertTrue(run.out().matches("(?s).*Journal mode +delete\\R.*"), run::toString);
        assertTrue(run.out().matches("(?s).*Product +SQLite 3\\.\\d+\\.\\d+\\R.*"), run::toString);
        assertTrue(run.out().contains("schema_migrations: 2 rows, current version 1.10"), run::toString);
        assertTrue(run.out().matches("(?s).*Migration lock +free\\R.*"), run::toString);
    }

    @Test
    void infoSaysTheLockIsHeldWhileAnotherConnectionWrites() throws Exception {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + workspace.database());
                Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");

            Workspace.Run run = info("--json");

            statement.execute("ROLLBACK");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("\"lock\":\"held by another connection\""), run::toString);
            assertTrue(run.out().contains("\"historyRows\":2"), run::toString);
        }
    }

    @Test
    void infoOfADatabaseWithoutHistorySaysSo() {
        workspace.execute("CREATE TABLE legacy (id INTEGER)");

        Workspace.Run run = info();

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("schema_migrations: absent"), run::toString);
    }

    @Test
    void infoOfAMissingDatabaseSaysSoAndCreatesNoFile() {
        Workspace.Run text = info();
        Workspace.Run json = info("--json");

        assertEquals(0, text.exitCode(), text::toString);
        assertTrue(text.out().contains("(does not exist yet)"), text::toString);
        assertTrue(json.out().contains("\"exists\":false"), json::toString);
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void infoReadsTheDatabaseFromTheEnvironmentAndQuietPrintsNothing() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());

        Workspace.Run run = Workspace.run(
                Map.of("LOCKSTEP_DATABASE", workspace.database().toString(), "LOCKSTEP_QUIET", "true"), "info");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.out());
    }
}

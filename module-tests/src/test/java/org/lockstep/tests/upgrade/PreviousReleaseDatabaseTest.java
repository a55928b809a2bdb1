package org.lockstep.tests.upgrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * A database the previous release of Lockstep migrated, kept as it left it
 * ({@code previous-release/previous-release.db}, its history of format 1, made by that release's
 * runtime image from the three scripts beside it): this release reads it as it is, upgrades its
 * history with the first deploy that records a repeatable script, and validates it afterwards.
 */
final class PreviousReleaseDatabaseTest {
    private static final List<String> PREVIOUS_SCRIPTS =
            List.of("001_create_notes.sql", "002_create_tags.sql", "V3__index_titles.sql");

    @TempDir
    Path dir;

    private Workspace workspace;

    @BeforeEach
    void copyThePreviousReleasesDatabase() throws IOException {
        workspace = Workspace.in(dir);
        copy("previous-release.db", workspace.database());
        for (String script : PREVIOUS_SCRIPTS) {
            copy(script, workspace.migrations().resolve(script));
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = PreviousReleaseDatabaseTest.class.getResourceAsStream("previous-release/" + resource)) {
            Files.copy(in, to);
        }
    }

    @Test
    void anUpToDateDatabaseOfThePreviousReleaseIsOnlyRead() {
        byte[] before = Workspace.bytes(workspace.database());

        Workspace.Run validate = workspace.lockstep("validate");
        Workspace.Run migrate = workspace.lockstep("migrate");

        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals(0, migrate.exitCode(), migrate.toString());
        assertTrue(migrate.out().contains("is up to date at version 3"), migrate.out());
        assertArrayEquals(before, Workspace.bytes(workspace.database()), "the file was changed");
    }

    @Test
    void theFirstDeployWithARepeatableScriptUpgradesTheHistoryAndItStillValidates() {
        List<List<String>> previousRows = workspace.history();
        workspace.script(
                "004_archive_notes.sql", "ALTER TABLE notes ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;\n");
        workspace.script(
                "R__note_views.sql",
                "DROP VIEW IF EXISTS live_notes;\nCREATE VIEW live_notes AS SELECT id, title FROM notes WHERE archived = 0;\n");

        Workspace.Run migrate = workspace.lockstep("migrate", "--owner", "4712@this-release");
        Workspace.Run validate = workspace.lockstep("validate");
        Workspace.Run status = workspace.lockstep("status");

        assertEquals(0, migrate.exitCode(), migrate.toString());
        assertEquals(
                List.of("Applied 004 archive notes", "Applied repeatable note views"),
                migrate.outLinesStartingWith("Applied").stream()
                        .map(line -> line.replaceFirst(" \\(\\d+ ms\\)$", ""))
                        .toList());
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals(
                previousRows, workspace.history().subList(0, 3), "the previous release's rows are kept as they were");
        assertEquals(
                List.of("1|SQL", "2|SQL", "3|SQL", "4|SQL", "5|REPEATABLE"),
                workspace.column("SELECT applied_rank || '|' || type FROM schema_migrations ORDER BY applied_rank"));
        assertEquals(List.of("first"), workspace.column("SELECT title FROM live_notes"));
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(
                status.out()
                        .lines()
                        .anyMatch(line -> line.matches(
                                "repeatable +note views +R__note_views\\.sql +APPLIED +\\S+ +4712@this-release")),
                status.out());
        assertTrue(
                status.out().lines().anyMatch(line -> line.matches("001 +create notes .*4711@previous-release")),
                status.out());
    }
}

package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input exits with code 2, names the culprit, and changes nothing. */
final class BadInputTest {
    private static final int BAD_INPUT = 2;
    private static final int ENVIRONMENT = 6;

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void writeOneScript() {
        workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
    }

    /** A database that cannot be used (read-only, say) is the environment's fault, not the input's. */
    private static void assertEnvironment(Workspace.Run run, String... culprits) {
        assertEquals(ENVIRONMENT, run.exitCode(), run::toString);
        for (String culprit : culprits) {
            assertTrue(run.err().contains(culprit), () -> "stderr should name [" + culprit + "]: " + run);
        }
    }

    private static void assertBadInput(Workspace.Run run, String... culprits) {
        assertEquals(BAD_INPUT, run.exitCode(), run::toString);
        for (String culprit : culprits) {
            assertTrue(run.err().contains(culprit), () -> "[" + culprit + "] not named in\n" + run);
        }
    }

    @Test
    void unknownOptionIsNamed() {
        Workspace.Run run = workspace.lockstep("migrate", "--force");

        assertBadInput(run, "--force");
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void missingMigrationsOptionIsNamed() {
        Workspace.Run run = Workspace.run(
                Map.of(), "migrate", "--database", workspace.database().toString());

        assertBadInput(run, "--migrations");
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void missingDatabaseOptionIsNamed() {
        Workspace.Run run = Workspace.run(
                Map.of(), "migrate", "--migrations", workspace.migrations().toString());

        assertBadInput(run, "--database");
    }

    @Test
    void migrationsFolderThatDoesNotExistIsNamed() {
        Path missing = root.resolve("no-such-folder");

        Workspace.Run run = Workspace.run(
                Map.of(), "migrate", "--database", workspace.database().toString(), "--migrations", missing.toString());

        assertBadInput(run, "no-such-folder", "does not exist");
        assertFalse(Files.exists(workspace.database()));
        assertFalse(Files.exists(missing));
    }

    @Test
    void sqlFileWithABadNameIsNamedAndNothingIsApplied() {
        workspace.script("create_tags.sql", "CREATE TABLE tags (name TEXT);\n");

        Workspace.Run run = workspace.lockstep("migrate");

        assertBadInput(run, "create_tags.sql");
        assertFalse(Files.exists(workspace.database()), "raised before the database is opened");
    }

    @Test
    void twoScriptsWithEqualVersionsAreBothNamed() {
        workspace.script("1_create_tags.sql", "CREATE TABLE tags (name TEXT);\n");

        Workspace.Run run = workspace.lockstep("migrate");

        assertBadInput(run, "001_create_notes.sql", "1_create_tags.sql");
        assertFalse(Files.exists(workspace.database()), "raised before the database is opened");
    }

    @Test
    void databaseInAFolderThatDoesNotExistIsAnErrorNotANewFolder() {
        Path folder = root.resolve("no-such-dir");

        Workspace.Run run = Workspace.run(
                Map.of(),
                "migrate",
                "--database",
                folder.resolve("app.db").toString(),
                "--migrations",
                workspace.migrations().toString());

        assertBadInput(run, "no-such-dir");
        assertFalse(Files.exists(folder));
    }

    @Test
    void garbageFileGivenAsDatabaseStaysByteIdentical() {
        byte[] garbage = ("This is a plain text file, not a database; it must not be touched.\n".repeat(100))
                .getBytes(StandardCharsets.UTF_8);
        Workspace.write(workspace.database(), garbage);

        Workspace.Run run = workspace.lockstep("migrate");

        assertBadInput(run, workspace.database().getFileName().toString(), "not a SQLite database");
        assertArrayEquals(garbage, Workspace.bytes(workspace.database()));
        assertEquals(List.of("app.db", "migrations"), listing(root), "no journal or WAL left beside it");
    }

    @Test
    void garbageFileGivenAsDatabaseFailsEveryCommandAndStaysByteIdentical() {
        byte[] garbage = new byte[8192];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Workspace.write(workspace.database(), garbage);

        for (String command : List.of("validate", "status", "migrate")) {
            Workspace.Run run = workspace.lockstep(command);

            assertBadInput(run, "not a SQLite database");
            assertArrayEquals(garbage, Workspace.bytes(workspace.database()), command);
        }
    }

    @Test
    void badLockTimeoutIsNamed() {
        Workspace.Run run = workspace.lockstep("migrate", "--lock-timeout", "abc");

        assertBadInput(run, "--lock-timeout", "abc");
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void readOnlyDatabaseWithPendingWorkStaysByteIdentical() throws Exception {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        workspace.script("002_create_tags.sql", "CREATE TABLE tags (name TEXT);\n");
        Path database = workspace.database();
        byte[] before = Workspace.bytes(database);
        Set<PosixFilePermission> original = Files.getPosixFilePermissions(database);
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("r--r--r--"));
        try {
            // Where file permissions do not bind (running as root), SQLite's own read-only open
            // stands in for them, so the test runs, and can fail, on every machine.
            Workspace.Run run = Files.isWritable(database)
                    ? Workspace.run(
                            Map.of(),
                            "migrate",
                            "--url",
                            "jdbc:sqlite:file:" + database + "?mode=ro",
                            "--migrations",
                            workspace.migrations().toString())
                    : workspace.lockstep("migrate");

            assertEnvironment(run, "app.db", "read-only");
            assertArrayEquals(before, Workspace.bytes(database));
        } finally {
            Files.setPosixFilePermissions(database, original);
        }
        assertEquals(List.of("001"), workspace.appliedVersions());
    }

    @Test
    void databaseOpenedReadOnlyWithPendingWorkStaysByteIdentical() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        workspace.script("002_create_tags.sql", "CREATE TABLE tags (name TEXT);\n");
        byte[] before = Workspace.bytes(workspace.database());

        // SQLite's own read-only open, so this runs even where file permissions do not bind (root).
        Workspace.Run run = Workspace.run(
                Map.of(),
                "migrate",
                "--url",
                "jdbc:sqlite:file:" + workspace.database() + "?mode=ro",
                "--migrations",
                workspace.migrations().toString());

        assertEnvironment(run, "app.db", "read-only");
        assertArrayEquals(before, Workspace.bytes(workspace.database()));
        assertEquals(List.of("001"), workspace.appliedVersions());
    }

    @Test
    void everyBadInputLeavesAnExistingDatabaseByteIdentical() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        byte[] before = Workspace.bytes(workspace.database());
        workspace.script("002_create_tags.sql", "CREATE TABLE tags (name TEXT);\n");
        workspace.script("2_create_labels.sql", "CREATE TABLE labels (name TEXT);\n");

        assertAll(
                () -> assertBadInput(workspace.lockstep("migrate"), "002_create_tags.sql", "2_create_labels.sql"),
                () -> assertBadInput(workspace.lockstep("migrate", "--lock-timeout", "abc"), "--lock-timeout"),
                () -> assertBadInput(workspace.lockstep("migrate", "--per-migration=yes"), "--per-migration"),
                () -> assertBadInput(workspace.lockstep("migrate", "stray"), "stray"));
        assertArrayEquals(before, Workspace.bytes(workspace.database()));
    }

    private static List<String> listing(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

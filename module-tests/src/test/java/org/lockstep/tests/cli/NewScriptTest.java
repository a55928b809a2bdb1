package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code new NAME} creates the next numbered script, named like the newest one, and never overwrites. */
final class NewScriptTest {
    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = Workspace.in(root);
    }

    private Workspace.Run newScript(String name, String... extra) {
        List<String> args = new java.util.ArrayList<>(
                List.of("new", name, "--migrations", workspace.migrations().toString()));
        args.addAll(List.of(extra));
        return Workspace.run(Map.of(), args.toArray(String[]::new));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(workspace.migrations())) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void firstScriptInAnEmptyFolderIsNumberedOneWithThreeDigits() throws IOException {
        Workspace.Run run = newScript("create users");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("001_create_users.sql"), files());
        assertEquals(
                "Created " + workspace.migrations().resolve("001_create_users.sql"),
                run.out().strip());
        assertEquals(0, workspace.lockstep("migrate").exitCode(), "the new script is a valid, empty migration");
    }

    @Test
    void nextScriptFollowsTheHighestMajorVersionWithItsPadding() throws IOException {
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\n");
        workspace.script("009_create_tags.sql", "CREATE TABLE tags (id INTEGER);\n");

        Workspace.Run run = newScript("Add an index!", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("001_create_notes.sql", "009_create_tags.sql", "010_Add_an_index.sql"), files());
        assertTrue(run.out().contains("\"version\":\"010\""), run::toString);
    }

    @Test
    void nextScriptAfterAFlywayStyleNameUsesThatStyle() throws IOException {
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\n");
        workspace.script("V3.1__index_titles.sql", "CREATE INDEX notes_id ON notes (id);\n");

        assertEquals(0, newScript("touch", "--quiet").exitCode());

        assertEquals(List.of("001_create_notes.sql", "V3.1__index_titles.sql", "V4__touch.sql"), files());
    }

    @Test
    void existingScriptsAreLeftAsTheyWere() {
        Path first = workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\n");
        byte[] before = Workspace.bytes(first);

        assertEquals(0, newScript("create notes").exitCode());
        assertEquals(0, newScript("create notes").exitCode());

        assertEquals(new String(before), new String(Workspace.bytes(first)));
        assertTrue(Files.exists(workspace.migrations().resolve("002_create_notes.sql")));
        assertTrue(Files.exists(workspace.migrations().resolve("003_create_notes.sql")));
    }

    @Test
    void folderWithAnInvalidScriptNameGetsNoNewScript() throws IOException {
        workspace.script("first.sql", "CREATE TABLE notes (id INTEGER);\n");

        Workspace.Run run = newScript("create tags");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("first.sql"), run::toString);
        assertEquals(List.of("first.sql"), files());
    }

    @Test
    void missingNameOrFolderOrAMeaninglessNameIsBadInput() {
        Workspace.Run noName = Workspace.run(
                Map.of(), "new", "--migrations", workspace.migrations().toString());
        Workspace.Run noFolder = Workspace.run(
                Map.of(), "new", "x", "--migrations", root.resolve("nope").toString());
        Workspace.Run punctuation = newScript("!!!");
        Workspace.Run twoNames = Workspace.run(
                Map.of(),
                "new",
                "a",
                "b",
                "--migrations",
                workspace.migrations().toString());

        assertEquals(2, noName.exitCode(), noName::toString);
        assertTrue(noName.err().contains("NAME"), noName::toString);
        assertEquals(2, noFolder.exitCode(), noFolder::toString);
        assertTrue(noFolder.err().contains("[" + root.resolve("nope") + "]"), noFolder::toString);
        assertEquals(2, punctuation.exitCode(), punctuation::toString);
        assertTrue(punctuation.err().contains("[!!!]"), punctuation::toString);
        assertEquals(2, twoNames.exitCode(), twoNames::toString);
        assertTrue(twoNames.err().contains("[b]"), twoNames::toString);
    }

    @Test
    void lineBreaksInTheNameCannotTurnItsCommentIntoSql() throws IOException {
        Workspace.Run run = newScript("add notes\nDROP TABLE users;");

        assertEquals(0, run.exitCode(), run::toString);
        Path script = workspace.migrations().resolve("001_add_notes_DROP_TABLE_users.sql");
        assertEquals("-- add notes DROP TABLE users;\n", Files.readString(script));
    }

    @Test
    void migrationsFolderComesFromTheEnvironment() throws IOException {
        Workspace.Run run = Workspace.run(
                Map.of("LOCKSTEP_MIGRATIONS", workspace.migrations().toString()), "new", "from env");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("001_from_env.sql"), files());
    }
}

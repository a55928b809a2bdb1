package org.lockstep.tests.regressions;

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
import org.lockstep.tests.cli.Workspace;

/**
 * Issue 11, item 10: {@code new} after {@code 9223372036854775807_max.sql} created
 * {@code -9223372036854775808_next.sql}, because the next major version overflowed a
 * {@code long}. A version part is a {@code long}, so there is no next major: the command
 * refuses, naming the newest script, and creates nothing.
 */
final class NewAfterLargestVersionRefusesTest {
    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = Workspace.in(root);
    }

    private Workspace.Run newScript(String name) {
        return Workspace.run(
                Map.of(), "new", name, "--migrations", workspace.migrations().toString());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(workspace.migrations())) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void newAfterTheLargestMajorVersionIsRefusedNamingTheNewestScript() throws IOException {
        workspace.script("001_first.sql", "CREATE TABLE first (id INTEGER);\n");
        workspace.script("9223372036854775807_max.sql", "CREATE TABLE max (id INTEGER);\n");

        Workspace.Run run = newScript("next");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("[9223372036854775807_max.sql]"), run::toString);
        assertEquals(List.of("001_first.sql", "9223372036854775807_max.sql"), files());
    }

    @Test
    void newAfterTheLargestMajorVersionWithAMinorPartIsRefusedToo() throws IOException {
        workspace.script("V9223372036854775807.1__max.sql", "CREATE TABLE max (id INTEGER);\n");

        Workspace.Run run = newScript("next");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("[V9223372036854775807.1__max.sql]"), run::toString);
        assertEquals(List.of("V9223372036854775807.1__max.sql"), files());
    }

    @Test
    void newAfterTheVersionJustBelowTheLargestCreatesTheLargest() throws IOException {
        workspace.script("9223372036854775806_almost.sql", "CREATE TABLE almost (id INTEGER);\n");

        Workspace.Run run = newScript("last");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("9223372036854775806_almost.sql", "9223372036854775807_last.sql"), files());
    }
}

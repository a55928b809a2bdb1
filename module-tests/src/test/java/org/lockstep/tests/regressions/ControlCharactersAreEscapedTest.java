package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Issue 11, item 14: text output printed control characters from file names and from the
 * history's {@code applied_by} straight to the terminal, where they act as escape sequences
 * (recolour, clear the screen, set the title) or reorder what is shown (bidirectional
 * overrides). Every text the command prints now shows them escaped, {@code \x1b} or
 * {@code \}{@code u202e}; JSON output stays valid JSON and carries the exact strings.
 */
final class ControlCharactersAreEscapedTest {
    private static final String RED = "001_\u001b[31mred.sql";
    private static final String REVERSED = "002_\u202etxt.exe.sql";
    // OSC 0 (set the title, ended by BEL), a C1 CSI that clears the screen, and DEL.
    private static final String OWNER = "ops\u001b]0;pwned\u0007\u009b2J\u007f";
    private static final String OWNER_SHOWN = "ops\\x1b]0;pwned\\x07\\x9b2J\\x7f";

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void writeScripts() {
        workspace = Workspace.in(root);
        workspace.script(RED, "CREATE TABLE red (id INTEGER);\n");
        workspace.script(REVERSED, "CREATE TABLE reversed (id INTEGER);\n");
    }

    private static void assertNoRawControls(Workspace.Run run) {
        String printed = run.out() + run.err();
        for (int i = 0; i < printed.length(); i++) {
            char c = printed.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t'
                    || c >= 0x7f && c <= 0x9f
                    || c >= 0x202a && c <= 0x202e
                    || c >= 0x2066 && c <= 0x2069;
            int at = i;
            assertFalse(control, () -> String.format("raw U+%04X at %d in %s", (int) c, at, run));
        }
    }

    @Test
    void migrateShowsTheScriptNamesEscaped() {
        Workspace.Run run = workspace.lockstep("migrate", "--owner", OWNER);

        assertEquals(0, run.exitCode(), run::toString);
        assertNoRawControls(run);
        assertAll(
                () -> assertTrue(run.out().contains("Applied 001 \\x1b[31mred ("), run::toString),
                () -> assertTrue(run.out().contains("Applied 002 \\u202etxt.exe ("), run::toString));
        assertEquals(
                List.of(OWNER, OWNER),
                workspace.column("SELECT applied_by FROM schema_migrations"),
                "the history keeps the owner as given");
    }

    @Test
    void statusShowsFileNamesAndAppliedByEscapedInAlignedColumns() {
        assertEquals(0, workspace.lockstep("migrate", "--owner", OWNER).exitCode());

        Workspace.Run run = workspace.lockstep("status");

        assertEquals(0, run.exitCode(), run::toString);
        assertNoRawControls(run);
        List<String> lines = run.out().lines().toList();
        String header = lines.get(0);
        String first = lines.stream()
                .filter(line -> line.startsWith("001 "))
                .findFirst()
                .orElseThrow();
        assertAll(
                () -> assertTrue(first.contains("\\x1b[31mred.sql"), run::toString),
                () -> assertTrue(run.out().contains("\\u202etxt.exe.sql"), run::toString),
                () -> assertTrue(first.endsWith(OWNER_SHOWN), run::toString),
                () -> assertEquals(header.indexOf("Applied by"), first.indexOf(OWNER_SHOWN), run::toString));
    }

    @Test
    void theLibrarysLogLinesAreEscapedToo() {
        Workspace.Run run = workspace.lockstep("migrate", "--verbose");

        assertEquals(0, run.exitCode(), run::toString);
        assertNoRawControls(run);
        assertTrue(run.err().contains("\\u202etxt"), "the log names the second script: " + run);
    }

    @Test
    void errorMessagesShowTheFileNameEscaped() {
        workspace.script("003_\u001b[2Jwipe.sql", "UPDATE nowhere SET x = 1;\n");

        Workspace.Run run = workspace.lockstep("migrate");

        assertEquals(1, run.exitCode(), run::toString);
        assertNoRawControls(run);
        assertTrue(run.err().contains("[003_\\x1b[2Jwipe.sql]"), run::toString);
    }

    @Test
    void jsonStaysValidAndCarriesTheExactStrings() {
        assertEquals(0, workspace.lockstep("migrate", "--owner", OWNER).exitCode());

        Workspace.Run run = workspace.lockstep("status", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertNoRawControls(run);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> migrations =
                (List<Map<String, Object>>) JsonText.object(run.out()).get("migrations");
        assertEquals(RED, migrations.get(0).get("script"), run::toString);
        assertEquals(REVERSED, migrations.get(1).get("script"), run::toString);
        assertEquals(OWNER, migrations.get(0).get("appliedBy"), run::toString);
    }
}

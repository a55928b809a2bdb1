package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkout that turns a script's endings into CRLF and adds a byte-order mark must not look edited. */
final class LineEndingTest {
    private static final String SCRIPT = "001_create_notes.sql";
    private static final String TEXT = """
            -- Notes; with a trigger.
            CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, kind TEXT);
            CREATE TRIGGER notes_kind AFTER INSERT ON notes
            BEGIN
                UPDATE notes SET kind = CASE WHEN NEW.title LIKE '%;%' THEN 'semi' ELSE 'plain' END
                 WHERE id = NEW.id;
            END;
            INSERT INTO notes (title) VALUES ('a;b');
            """;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = Workspace.in(root);
    }

    private static byte[] withBomAndCrlf(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(BOM);
        bytes.writeBytes(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Test
    void rewritingAnAppliedScriptWithCrlfAndABomKeepsValidationPassing() {
        workspace.script(SCRIPT, TEXT);
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        List<List<String>> history = workspace.history();
        Workspace.write(workspace.migrations().resolve(SCRIPT), withBomAndCrlf(TEXT));

        Workspace.Run validate = workspace.lockstep("validate");
        Workspace.Run migrate = workspace.lockstep("migrate");

        assertEquals(0, validate.exitCode(), validate::toString);
        assertEquals(0, migrate.exitCode(), migrate::toString);
        assertTrue(migrate.out().contains("up to date"), migrate::toString);
        assertEquals(history, workspace.history());
    }

    @Test
    void scriptWithCrlfAndABomAppliesWithTheSameChecksumAsItsPlainForm() {
        Workspace.write(workspace.migrations().resolve(SCRIPT), withBomAndCrlf(TEXT));

        Workspace.Run run = workspace.lockstep("migrate");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(List.of("a;b", "semi")), workspace.rows("SELECT title, kind FROM notes"));
        workspace.script(SCRIPT, TEXT);
        Workspace.Run validate = workspace.lockstep("validate");
        assertEquals(0, validate.exitCode(), validate::toString);
    }
}

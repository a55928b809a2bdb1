package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Issue 11, item 10: {@code new Ünïcode} created {@code 001_n_code.sql}, because only ASCII
 * letters and digits were kept. Letters and digits of every script are kept (NFC), combining
 * marks after them too; everything else becomes an underscore.
 */
final class NewKeepsLettersOfEveryScriptTest {
    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = Workspace.in(root);
    }

    private String created(String name) throws IOException {
        Workspace.Run run = Workspace.run(
                Map.of(), "new", name, "--migrations", workspace.migrations().toString());
        assertEquals(0, run.exitCode(), run::toString);
        try (Stream<Path> files = Files.list(workspace.migrations())) {
            List<String> names =
                    files.map(file -> file.getFileName().toString()).sorted().toList();
            return names.get(names.size() - 1);
        }
    }

    @Test
    void accentedLatinLettersAreKept() throws IOException {
        assertEquals("001_Ünïcode.sql", created("Ünïcode"));
    }

    @Test
    void decomposedInputGivesTheComposedName() throws IOException {
        String decomposed = Normalizer.normalize("Ünïcode café", Normalizer.Form.NFD);

        assertEquals("001_Ünïcode_café.sql", created(decomposed));
    }

    @Test
    void lettersAndDigitsOfOtherScriptsAreKeptAndPunctuationBecomesUnderscores() throws IOException {
        assertEquals("001_Ελληνικά_таблица_用户表_٣.sql", created("Ελληνικά: таблица, «用户表» ٣!"));
    }

    @Test
    void vowelSignsOfAbugidasAreKept() throws IOException {
        assertEquals("001_हिन्दी_नाम.sql", created("हिन्दी नाम"));
    }

    @Test
    void theCreatedScriptIsAValidMigration() throws IOException {
        created("Ünïcode café");
        workspace.script("002_Δοκιμή.sql", "CREATE TABLE t (id INTEGER);\n");

        Workspace.Run migrate = workspace.lockstep("migrate");

        assertEquals(0, migrate.exitCode(), migrate::toString);
        assertEquals(List.of("001", "002"), workspace.appliedVersions());
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 11, item 13: the refusal of pragmas that cannot work inside a transaction matched the
 * raw text, so a comment between the words or a name quoted as SQLite allows
 * ({@code [..]}, {@code '..'}, {@code `..`}) slipped through and failed, or did nothing, at
 * run time. Refusals now read the statement's tokens as SQLite's tokenizer does.
 */
final class QuotedPragmaNameIsRefusedTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PRAGMA/**/journal_mode",
                "PRAGMA [journal_mode]",
                "PRAGMA 'journal_mode'",
                "PRAGMA `foreign_keys`",
                "PRAGMA \"main\".\"JOURNAL_MODE\"",
                "pragma -- why\n [main] . 'foreign_keys'",
                "PRAGMA main.`journal_mode`"
            })
    void pragmaNameInAnyQuotingOrAfterACommentIsRefusedBeforeTheDatabaseIsOpened(String pragma) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Path script = Files.writeString(scripts.resolve("001_settings.sql"), "CREATE TABLE t (a);\n" + pragma + ";\n");
        Path database = dir.resolve("app.db");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .build());

        InvalidScriptException e = assertThrows(InvalidScriptException.class, migrator::migrate);

        assertEquals(script.toString(), e.source());
        assertTrue(e.getMessage().startsWith("Script [" + script + "] line [2]: statement ["), e::getMessage);
        assertTrue(e.getMessage().contains("] is not allowed: PRAGMA "), e::getMessage);
        assertFalse(Files.exists(database), "the database is not opened");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PRAGMA/**/journal_mode",
                "PRAGMA [journal_mode]",
                "PRAGMA 'journal_mode'",
                "PRAGMA \"main\".\"JOURNAL_MODE\"",
                "PRAGMA main.`journal_mode`"
            })
    void sqliteItselfReadsEachQuotedFormAsThePragma(String pragma) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            try (ResultSet rows = statement.executeQuery(pragma)) {
                assertTrue(rows.next(), pragma);
                assertEquals("wal", rows.getString(1), pragma);
            }
        }
    }
}

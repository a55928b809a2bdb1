package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Issue 11, item 12: with {@code --json}, a failing command printed nothing on stdout
 * ({@code validate --json} exit 4, {@code migrate --json} exits 1, 3 and 4), so a script that
 * parses stdout had nothing to parse. Every failure now prints one JSON object there,
 * {@code {"error":{"command":...,"exitCode":...,"kind":...,"message":...,...}}}, with the
 * failure's structured fields; the human line stays on stderr.
 */
final class JsonErrorOnFailureTest {
    private static final String NOTES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT);\n";

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", NOTES);
    }

    // The run's stdout as one JSON object {"error": {...}}, and the human message on stderr.
    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(Workspace.Run run, int exitCode, String command, String kind) {
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals(1, run.out().lines().count(), () -> "one line on stdout: " + run);
        Map<String, Object> json = JsonText.object(run.out());
        assertEquals(List.of("error"), List.copyOf(json.keySet()), run::toString);
        Map<String, Object> error = (Map<String, Object>) json.get("error");
        String message = (String) error.get("message");
        assertAll(
                () -> assertEquals(command, error.get("command"), run::toString),
                () -> assertEquals(new BigDecimal(exitCode), error.get("exitCode"), run::toString),
                () -> assertEquals(kind, error.get("kind"), run::toString),
                () -> assertTrue(message != null && !message.isEmpty(), run::toString),
                () -> assertTrue(run.err().contains(message), "stderr keeps the human line: " + run));
        return error;
    }

    @Test
    void failedMigrationPrintsItsVersionScriptLineStatementAndSqlState() {
        workspace.script(
                "002_fill_notes.sql",
                "INSERT INTO notes (title) VALUES ('a');\n\nUPDATE notes\n" + "   SET missing_column = 1;\n");

        Workspace.Run run = workspace.lockstep("migrate", "--json");

        Map<String, Object> error = error(run, 1, "migrate", "migration_failed");
        assertEquals("002", error.get("version"));
        assertEquals("002_fill_notes.sql", error.get("script"));
        assertEquals(new BigDecimal(3), error.get("line"));
        assertTrue(((String) error.get("statement")).startsWith("UPDATE notes"), run::toString);
        assertTrue(error.containsKey("sqlState"), run::toString);
        assertTrue(error.get("errorCode") instanceof BigDecimal, run::toString);
        assertTrue(((String) error.get("message")).contains("no such column: missing_column"), run::toString);
    }

    @Test
    void badOptionValueWithJsonPrintsAUsageError() {
        Workspace.Run run = workspace.lockstep("migrate", "--json", "--lock-timeout", "soon");

        Map<String, Object> error = error(run, 2, "migrate", "usage");
        assertTrue(((String) error.get("message")).contains("[soon]"), run::toString);
    }

    @Test
    void unknownOptionWithJsonPrintsAUsageErrorThoughTheOptionsCouldNotBeRead() {
        Workspace.Run run = workspace.lockstep("status", "--json", "--colour");

        Map<String, Object> error = error(run, 2, "status", "usage");
        assertTrue(((String) error.get("message")).contains("[--colour]"), run::toString);
    }

    @Test
    void jsonFromTheEnvironmentAppliesToUsageErrors() {
        Workspace.Run run = Workspace.run(
                Map.of(
                        "LOCKSTEP_JSON",
                        "true",
                        "LOCKSTEP_MIGRATIONS",
                        workspace.migrations().toString()),
                "new");

        error(run, 2, "new", "usage");
    }

    @Test
    void unknownCommandWithJsonPrintsAUsageError() {
        Workspace.Run run = Workspace.run(Map.of(), "mgirate", "--json");

        Map<String, Object> error = error(run, 2, "mgirate", "usage");
        assertTrue(((String) error.get("message")).contains("[mgirate]"), run::toString);
    }

    @Test
    void invalidScriptNamePrintsTheScript() {
        workspace.script("first.sql", NOTES);

        Workspace.Run run = workspace.lockstep("validate", "--json");

        Map<String, Object> error = error(run, 2, "validate", "invalid_script");
        assertTrue(((String) error.get("source")).endsWith("first.sql"), run::toString);
    }

    @Test
    void fileThatIsNotADatabasePrintsTheReason() throws Exception {
        Files.write(
                workspace.database(),
                "not a database, just text that is long enough to be a header\n"
                        .repeat(20)
                        .getBytes(StandardCharsets.UTF_8));

        Workspace.Run run = workspace.lockstep("status", "--json");

        Map<String, Object> error = error(run, 2, "status", "database");
        assertEquals("NOT_A_DATABASE", error.get("reason"), run::toString);
    }

    @Test
    @Timeout(60)
    void lockNotAcquiredPrintsHowLongItWaitedAndHowOften() throws Exception {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        workspace.script("002_create_tags.sql", "CREATE TABLE tags (name TEXT);\n");
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + workspace.database());
                Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");

            Workspace.Run run = workspace.lockstep("migrate", "--json", "--lock-timeout", "300ms");

            Map<String, Object> error = error(run, 3, "migrate", "lock_timeout");
            assertTrue(((BigDecimal) error.get("waitedMillis")).intValue() >= 300, run::toString);
            assertTrue(((BigDecimal) error.get("attempts")).intValue() >= 1, run::toString);
            lock.execute("ROLLBACK");
        }
        assertEquals(List.of("001"), workspace.appliedVersions());
    }

    @Test
    void failedValidationPrintsEveryProblem() {
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        workspace.script("001_create_notes.sql", NOTES.replace("title TEXT", "title TEXT, body TEXT"));

        for (String command : List.of("validate", "migrate")) {
            Workspace.Run run = workspace.lockstep(command, "--json");

            Map<String, Object> error = error(run, 4, command, "validation_failed");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> problems = (List<Map<String, Object>>) error.get("problems");
            assertEquals(1, problems.size(), run::toString);
            assertEquals("CHECKSUM_MISMATCH", problems.get(0).get("state"), run::toString);
            assertEquals("001", problems.get(0).get("version"), run::toString);
            assertEquals("001_create_notes.sql", problems.get(0).get("script"), run::toString);
            assertTrue(((String) problems.get(0).get("message")).contains("001_create_notes.sql"), run::toString);
        }
    }

    @Test
    void withoutJsonAFailurePrintsNothingOnStdout() {
        workspace.script("first.sql", NOTES);

        Workspace.Run run = workspace.lockstep("validate");

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
    }
}

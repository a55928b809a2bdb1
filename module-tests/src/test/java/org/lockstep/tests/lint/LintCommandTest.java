package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/** {@code lockstep lint} and {@code lockstep drift} through the command's ToolProvider. */
final class LintCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Workspace workspace;

    @BeforeEach
    void base() {
        workspace = Workspace.in(dir);
        workspace.script("001_base.sql", LintRulesTest.BASE);
    }

    private Workspace.Run lint(String... extra) {
        List<String> args = new ArrayList<>(
                List.of("lint", "--migrations", workspace.migrations().toString()));
        args.addAll(List.of(extra));
        return Workspace.run(Map.of(), args.toArray(String[]::new));
    }

    @Test
    void cleanHistoryExitsZeroAndSaysWhatWasChecked() {
        Workspace.Run run = lint();

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Lint: 1 script checked (1 replayed) for SQLite 3."), run::toString);
        assertTrue(run.out().contains(": 0 errors, 0 warnings, 0 allowed"), run::toString);
    }

    @Test
    void errorExitsEightNamingFileLineRuleAndHint() {
        workspace.script(
                "002_status.sql", "UPDATE notes SET body = '';\nALTER TABLE notes ADD COLUMN status TEXT NOT NULL;\n");

        Workspace.Run run = lint();

        assertEquals(8, run.exitCode(), run::toString);
        String location = workspace.migrations().resolve("002_status.sql") + ":2: error [add-column-not-null] ";
        assertTrue(run.out().startsWith(location), run::toString);
        assertTrue(run.out().contains("\n    hint: SQLite accepts it on an empty table"), run::toString);
        assertTrue(run.out().contains("Lint failed: a finding is at or above --fail-on error"), run::toString);
    }

    @Test
    void aDefinitionMissingItsNameIsAFindingNotACrash() {
        // It failed in the replay, so no name was read: the linter then reads the whole
        // schema back (it threw a NullPointerException choosing what to read).
        workspace.script("002_broken.sql", "CREATE TABLE labels (id INTEGER PRIMARY KEY);\nDROP INDEX;\n");

        Workspace.Run run = lint();

        assertEquals(8, run.exitCode(), run::toString);
        assertTrue(
                run.out().startsWith(workspace.migrations().resolve("002_broken.sql") + ":2: error ["), run::toString);
        assertFalse(run.err().contains("Exception"), run::toString);
    }

    @Test
    void warningPassesUnlessFailOnWarning() {
        workspace.script("002_drop.sql", "DROP TABLE tags;\n");

        Workspace.Run byDefault = lint();
        Workspace.Run strict = lint("--fail-on", "warning");
        Workspace.Run fromEnvironment = Workspace.run(
                Map.of(
                        "LOCKSTEP_FAIL_ON",
                        "warning",
                        "LOCKSTEP_MIGRATIONS",
                        workspace.migrations().toString()),
                "lint");

        assertEquals(0, byDefault.exitCode(), byDefault::toString);
        assertTrue(byDefault.out().contains("warning [drop-table] Table [tags] is dropped"), byDefault::toString);
        assertEquals(8, strict.exitCode(), strict::toString);
        assertEquals(8, fromEnvironment.exitCode(), fromEnvironment::toString);
    }

    @Test
    void allowedFindingIsCountedAndShownWithItsReasonUnderVerbose() {
        workspace.script(
                "002_drop.sql",
                "-- lockstep:allow drop-table tags moved to the labels service in release 12\nDROP TABLE tags;\n");

        Workspace.Run quietly = lint("--fail-on", "warning");
        Workspace.Run verbose = lint("--fail-on", "warning", "--verbose");

        assertEquals(0, quietly.exitCode(), quietly::toString);
        assertFalse(quietly.out().contains("drop-table"), quietly::toString);
        assertTrue(quietly.out().contains("1 allowed (--verbose shows them)"), quietly::toString);
        assertTrue(
                verbose.out().contains(":2: allowed warning [drop-table] Table [tags] is dropped"), verbose::toString);
        assertTrue(
                verbose.out().contains("    reason: tags moved to the labels service in release 12"),
                verbose::toString);
    }

    @Test
    void jsonFormatIsOneObjectWithEveryFinding() throws Exception {
        workspace.script("002_drop.sql", "DROP TABLE tags;\nVACUUM;\n");

        Workspace.Run run = lint("--format", "json");

        assertEquals(8, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(run.out());
        assertTrue(report.get("failed").asBoolean());
        assertEquals("error", report.get("failOn").asText());
        JsonNode findings = report.get("findings");
        assertEquals(2, findings.size(), run::toString);
        assertEquals("drop-table", findings.get(0).get("rule").asText());
        assertEquals("warning", findings.get(0).get("level").asText());
        assertEquals(1, findings.get(0).get("line").asInt());
        assertEquals("002", findings.get(0).get("version").asText());
        assertEquals("not-transactional", findings.get(1).get("rule").asText());
        assertEquals(2, findings.get(1).get("line").asInt());
    }

    @Test
    void sarifOutputValidatesAgainstTheSarif210Schema() throws Exception {
        workspace.script("002_change.sql", """
                -- lockstep:allow drop-table tags moved to the labels service
                DROP TABLE tags;
                ALTER TABLE notes ADD COLUMN status TEXT NOT NULL;
                ALTER TABLE notes DROP COLUMN "tag";
                VACUUM;
                """);

        Workspace.Run run = lint("--format", "sarif", "--sqlite-version", "3.31");

        assertEquals(8, run.exitCode(), run::toString);
        Schema schema;
        try (InputStream in = getClass().getResourceAsStream("sarif-schema-2.1.0.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(in);
        }
        List<Error> errors = schema.validate(run.out(), InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), run::toString);
        assertFalse(
                schema.validate(run.out().replace("\"startLine\":3", "\"startLine\":0"), InputFormat.JSON)
                        .isEmpty(),
                "the schema is enforced: a line 0 is refused");

        JsonNode log = JSON.readTree(run.out());
        assertEquals("2.1.0", log.get("version").asText());
        JsonNode sarifRun = log.get("runs").get(0);
        assertEquals("lockstep", sarifRun.get("tool").get("driver").get("name").asText());
        JsonNode results = sarifRun.get("results");
        List<String> rules = new ArrayList<>();
        results.forEach(result -> rules.add(result.get("ruleId").asText()));
        assertEquals(
                List.of("drop-table", "add-column-not-null", "drop-column", "newer-sqlite", "not-transactional"),
                rules,
                run::toString);
        JsonNode dropTable = results.get(0);
        assertEquals(
                "inSource", dropTable.get("suppressions").get(0).get("kind").asText());
        assertEquals(
                "tags moved to the labels service",
                dropTable.get("suppressions").get(0).get("justification").asText());
        JsonNode location = results.get(1).get("locations").get(0).get("physicalLocation");
        assertEquals(3, location.get("region").get("startLine").asInt());
        assertTrue(location.get("artifactLocation").get("uri").asText().startsWith("file:///"), run::toString);
        assertTrue(location.get("artifactLocation").get("uri").asText().endsWith("/002_change.sql"), run::toString);
        JsonNode rulesMetadata = sarifRun.get("tool").get("driver").get("rules");
        assertEquals(
                results.get(1).get("ruleId").asText(),
                rulesMetadata
                        .get(results.get(1).get("ruleIndex").asInt())
                        .get("id")
                        .asText());
    }

    @Test
    void withADatabaseOnlyItsPendingScriptsAreReported() {
        workspace.script("002_drop.sql", "DROP TABLE tags;\n");
        assertEquals(0, workspace.lockstep("migrate").exitCode());
        workspace.script("003_status.sql", "ALTER TABLE notes ADD COLUMN status TEXT NOT NULL;\n");

        Workspace.Run run = workspace.lockstep("lint", "--fail-on", "warning", "--format", "json");

        assertEquals(8, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"scriptsReported\":1,\"scriptsReplayed\":3"), run::toString);
        assertFalse(run.out().contains("drop-table"), "002 is applied: " + run);
        assertTrue(run.out().contains("add-column-not-null"), run::toString);
    }

    @Test
    void aDatabaseThatDoesNotExistHasEveryScriptPendingAndIsNotCreated() {
        workspace.script("002_drop.sql", "DROP TABLE tags;\n");

        Workspace.Run run = workspace.lockstep("lint");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Lint: 2 scripts checked"), run::toString);
        assertFalse(Files.exists(workspace.database()));
    }

    @Test
    void syntaxNewerThanSqliteVersionFailsAndABadVersionIsExitTwo() {
        workspace.script("002_drop_column.sql", "ALTER TABLE notes DROP COLUMN tag;\n");

        Workspace.Run old = lint("--sqlite-version", "3.31");
        Workspace.Run bad = lint("--sqlite-version", "three");
        Workspace.Run badFormat = lint("--format", "xml");
        Workspace.Run badLevel = lint("--fail-on", "info");

        assertEquals(8, old.exitCode(), old::toString);
        assertTrue(
                old.out()
                        .contains(
                                "error [newer-sqlite] ALTER TABLE ... DROP COLUMN in [002_drop_column.sql] at line [1]"
                                        + " needs SQLite 3.35.0; the oldest SQLite deployed to is 3.31.0"),
                old::toString);
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("--sqlite-version"), bad::toString);
        assertEquals(2, badFormat.exitCode(), badFormat::toString);
        assertEquals(2, badLevel.exitCode(), badLevel::toString);
    }

    @Test
    void postgresqlUrlIsRefusedClearly() {
        Workspace.Run run = lint("--url", "jdbc:postgresql://127.0.0.1:1/app");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("checks SQLite scripts only"), run::toString);
    }

    @Test
    void driftExitsZeroOnAMigratedDatabaseAndNineOnAnIndexAddedByHand() throws Exception {
        assertEquals(0, workspace.lockstep("migrate").exitCode());

        Workspace.Run clean = workspace.lockstep("drift");
        workspace.execute("CREATE INDEX notes_body ON notes (body)");
        Workspace.Run drifted = workspace.lockstep("drift");
        Workspace.Run json = workspace.lockstep("drift", "--json");

        assertEquals(0, clean.exitCode(), clean::toString);
        assertTrue(clean.out().startsWith("No drift: database "), clean::toString);
        assertEquals(9, drifted.exitCode(), drifted::toString);
        assertTrue(
                drifted.out()
                        .contains("  Index [notes_body] is in the database but no applied script makes it:"
                                + " CREATE INDEX notes_body ON notes (body)"),
                drifted::toString);
        assertEquals(9, json.exitCode(), json::toString);
        JsonNode report = JSON.readTree(json.out());
        assertFalse(report.get("matches").asBoolean());
        assertEquals("EXTRA", report.get("differences").get(0).get("kind").asText());
        assertEquals("notes_body", report.get("differences").get(0).get("name").asText());
    }

    @Test
    void helpListsLintDriftAndTheirExitCodes() {
        Workspace.Run help = Workspace.run(Map.of(), "--help");
        Workspace.Run lintHelp = Workspace.run(Map.of(), "lint", "--help");

        assertTrue(help.out().lines().anyMatch(line -> line.startsWith("  lint ")), help::toString);
        assertTrue(help.out().lines().anyMatch(line -> line.startsWith("  drift ")), help::toString);
        assertTrue(help.out().lines().anyMatch(line -> line.startsWith("  8  lint found")), help::toString);
        assertTrue(help.out().lines().anyMatch(line -> line.startsWith("  9  drift found")), help::toString);
        for (String option : List.of("--migrations", "--database", "--format", "--sqlite-version", "--fail-on")) {
            assertTrue(
                    lintHelp.out().lines().anyMatch(line -> line.strip().startsWith(option + " ")),
                    () -> option + " in " + lintHelp);
        }
    }
}

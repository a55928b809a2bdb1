package org.lockstep.internal.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AdoptResult;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;

/**
 * How each tool's history rows are read, whatever order the database returns them in and with
 * the values the tools write at their edges: Flyway's ranks and blank or negative fields, goose's
 * latest row per version, sqlx's checksums of files with other line endings and its unfinished
 * rows.
 */
final class HistoryReadersTest {
    private static final NavigableMap<MigrationVersion, LocalScript> NO_SCRIPTS = new TreeMap<>();

    @TempDir
    Path dir;

    private static ForeignTable table(String name, List<Map<String, Object>> rows) {
        return new ForeignTable(name, name, List.copyOf(rows.get(0).keySet()), rows, ZoneOffset.UTC);
    }

    private static Map<String, Object> flyway(
            long rank, String version, String type, Object installedBy, Object executionTime) {
        Map<String, Object> row = new HashMap<>();
        row.put("installed_rank", rank);
        row.put("version", version);
        row.put("description", "d");
        row.put("type", type);
        row.put("script", "V" + version + "__d.sql");
        row.put("checksum", null);
        row.put("installed_by", installedBy);
        row.put("installed_on", "2024-03-01 10:20:30");
        row.put("execution_time", executionTime);
        row.put("success", 1);
        return row;
    }

    private static List<String> versions(Reading reading) {
        return reading.claims().stream()
                .map(claim -> claim.version().toString())
                .toList();
    }

    @Test
    void flywayRowsAreReadInTheOrderOfTheirRankSoALaterDeleteRemovesTheVersion() {
        // As a database may return them: the repair's DELETE row first, though ranked last.
        Reading reading = new FlywayHistory()
                .read(
                        table(
                                "flyway_schema_history",
                                List.of(
                                        flyway(3, "1", "DELETE", "ops", 0),
                                        flyway(1, "1", "SQL", "ops", 0),
                                        flyway(2, "2", "SQL", "ops", 0))),
                        NO_SCRIPTS,
                        "db");

        assertEquals(List.of("2"), versions(reading));
        assertEquals(
                List.of("marked deleted by flyway repair, so not applied as Flyway sees it"),
                reading.notAdopted().stream()
                        .map(AdoptResult.NotAdopted::reason)
                        .toList());
    }

    @Test
    void flywaysBlankInstallerAndUnknownExecutionTimeAreLeftOut() {
        Reading reading = new FlywayHistory()
                .read(
                        table(
                                "flyway_schema_history",
                                List.of(flyway(1, "1", "SQL", "  ", -1), flyway(2, "2", "SQL", "ops", 7))),
                        NO_SCRIPTS,
                        "db");

        Claim blank = reading.claims().get(0);
        assertEquals(Optional.empty(), blank.appliedBy());
        assertEquals(0, blank.executionMillis(), "Flyway's -1 is no time, not a negative one");
        assertEquals(Optional.of(Instant.parse("2024-03-01T10:20:30Z")), blank.appliedAt());
        Claim known = reading.claims().get(1);
        assertEquals(Optional.of("ops"), known.appliedBy());
        assertEquals(7, known.executionMillis());
    }

    @Test
    void scriptsAtOrBelowFlywaysBaselineThatFlywayNeverRanAreNamed() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_old.sql"), "CREATE TABLE old (x);\n");
        Files.writeString(folder.resolve("002_base.sql"), "CREATE TABLE base (x);\n");
        Files.writeString(folder.resolve("003_new.sql"), "CREATE TABLE new (x);\n");
        NavigableMap<MigrationVersion, LocalScript> local = new TreeMap<>();
        for (MigrationScript script : ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)))) {
            byte[] bytes = Files.readAllBytes(folder.resolve(script.fileName()));
            local.put(script.version(), new LocalScript(script, bytes, new String(bytes, StandardCharsets.UTF_8)));
        }

        Reading reading = new FlywayHistory()
                .read(
                        table(
                                "flyway_schema_history",
                                List.of(flyway(1, "2", "BASELINE", "ops", 0), flyway(2, "3", "SQL", "ops", 0))),
                        local,
                        "db");

        assertEquals(List.of("3"), versions(reading));
        assertEquals(
                List.of("2", "001", "002"),
                reading.notAdopted().stream()
                        .map(AdoptResult.NotAdopted::version)
                        .toList());
        assertTrue(reading.notAdopted().get(1).reason().startsWith("at or below Flyway's baseline [2]"));
    }

    private static Map<String, Object> goose(long id, String version, boolean applied) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("version_id", version);
        row.put("is_applied", applied);
        row.put("tstamp", "2024-03-01 10:20:30");
        return row;
    }

    @Test
    void gooseKeepsEachVersionsLatestRowByIdWhateverOrderTheRowsComeIn() {
        // Version 1 applied (id 2), then rolled back by goose down (id 3); the rows come newest first.
        Reading reading = new GooseHistory()
                .read(
                        table(
                                "goose_db_version",
                                List.of(
                                        goose(3, "1", false),
                                        goose(4, "2", true),
                                        goose(2, "1", true),
                                        goose(1, "0", true))),
                        NO_SCRIPTS,
                        "db");

        assertEquals(List.of("2"), versions(reading));
        assertEquals(
                List.of("1"),
                reading.notAdopted().stream()
                        .map(AdoptResult.NotAdopted::version)
                        .toList());
    }

    private static Map<String, Object> sqlx(String version, Object success, byte[] checksum, long nanos) {
        Map<String, Object> row = new HashMap<>();
        row.put("version", version);
        row.put("description", "init");
        row.put("installed_on", "2024-03-01 10:20:30");
        row.put("success", success);
        row.put("checksum", checksum);
        row.put("execution_time", nanos);
        return row;
    }

    private static Claim sqlxClaim(String recordedText, long nanos) {
        byte[] recorded = SqlxHistory.sha384(recordedText.getBytes(StandardCharsets.UTF_8));
        Reading reading = new SqlxHistory()
                .read(
                        table("_sqlx_migrations", List.of(sqlx("20240101000000", true, recorded, nanos))),
                        NO_SCRIPTS,
                        "db");
        return reading.claims().get(0);
    }

    private static Optional<String> mismatch(Claim claim, String fileText) {
        byte[] bytes = fileText.getBytes(StandardCharsets.UTF_8);
        return claim.check().orElseThrow().mismatch(new LocalScript(null, bytes, fileText));
    }

    @Test
    void sqlxsChecksumMatchesTheFileAsWrittenOrWithItsCrLfLineEndingsMadeLf() {
        Claim claim = sqlxClaim("CREATE TABLE a (x);\nCREATE TABLE b (y);\r", 5_000_000);

        assertEquals(5, claim.executionMillis());
        assertEquals(Optional.empty(), mismatch(claim, "CREATE TABLE a (x);\nCREATE TABLE b (y);\r"));
        assertEquals(
                Optional.empty(),
                mismatch(claim, "CREATE TABLE a (x);\r\nCREATE TABLE b (y);\r"),
                "a CRLF checkout; the lone CR at the end stays");
        assertTrue(mismatch(claim, "CREATE TABLE a (x);\nCREATE TABLE b (y);").isPresent(), "the lone CR is text");
    }

    @Test
    void sqlxsLoneCarriageReturnsAreText() {
        Claim claim = sqlxClaim("a\rb\n", 0);

        assertEquals(Optional.empty(), mismatch(claim, "a\rb\r\n"));
        assertTrue(mismatch(claim, "ab\n").isPresent());
        assertEquals(
                Optional.of("sqlx recorded SHA-384 ["
                        + java.util.HexFormat.of()
                                .formatHex(SqlxHistory.sha384("a\rb\n".getBytes(StandardCharsets.UTF_8)))
                        + "], the file's is ["
                        + java.util.HexFormat.of().formatHex(SqlxHistory.sha384("x".getBytes(StandardCharsets.UTF_8)))
                        + "]"),
                mismatch(claim, "x"));
    }

    @Test
    void sqlxsUnknownExecutionTimeIsNone() {
        assertEquals(0, sqlxClaim("x", -1).executionMillis());
    }

    @Test
    void sqlxsUnfinishedMigrationsBlockTheAdoption() {
        DatabaseException blocked = assertThrows(
                DatabaseException.class,
                () -> new SqlxHistory()
                        .read(
                                table(
                                        "_sqlx_migrations",
                                        List.of(sqlx("1", true, new byte[48], 0), sqlx("2", false, new byte[48], 0))),
                                NO_SCRIPTS,
                                "app.db"));

        assertEquals(DatabaseException.Reason.ADOPTION_BLOCKED, blocked.reason());
        assertTrue(
                blocked.getMessage()
                        .startsWith("Adoption from [_sqlx_migrations] in [app.db] refused: sqlx recorded version [2]"
                                + " [init] as not finished (success = false)"),
                blocked.getMessage());
    }
}

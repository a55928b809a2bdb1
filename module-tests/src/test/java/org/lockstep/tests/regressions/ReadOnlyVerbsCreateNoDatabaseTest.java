package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * Issue 11, items 9 and 18: {@code status}, {@code validate} and {@code migrate --dry-run}
 * through a URL created an empty database file where there was none; {@code info --url} on a
 * missing file failed where {@code --database} succeeded.
 */
final class ReadOnlyVerbsCreateNoDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void theLibrarysReadingVerbsLeaveAMissingFileMissing() {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        for (String url : List.of(
                fixture.url(),
                "jdbc:sqlite:file:" + fixture.database,
                "jdbc:sqlite:" + fixture.database + "?journal_mode=WAL")) {
            Migrator migrator = Migrator.create(
                    MigrationConfig.builder().url(url).location(fixture.scripts).build());

            assertEquals(
                    List.of(MigrationState.PENDING),
                    migrator.status().stream().map(i -> i.state()).toList());
            migrator.validate();
            assertEquals(1, migrator.dryRun().size());
            DatabaseException refused =
                    assertThrows(DatabaseException.class, () -> migrator.baseline(MigrationVersion.parse("1")));
            assertEquals(DatabaseException.Reason.BASELINE_REFUSED, refused.reason());

            assertFalse(Files.exists(fixture.database), url + " created the database");
        }
    }

    @Test
    void theCommandsReadingVerbsLeaveAMissingFileMissing() {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        String url = fixture.url();
        for (List<String> args : List.of(List.of("status"), List.of("validate"), List.of("migrate", "--dry-run"))) {
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(List.of("--url", url, "--migrations", fixture.scripts.toString()));
            Fixture.Run run = Fixture.lockstep(all.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.toString());
            assertFalse(Files.exists(fixture.database), args + " created the database");
        }
        Fixture.Run info = Fixture.lockstep("info", "--url", url);
        assertEquals(0, info.exitCode(), info.toString());
        assertFalse(Files.exists(fixture.database), "info created the database");
    }
}

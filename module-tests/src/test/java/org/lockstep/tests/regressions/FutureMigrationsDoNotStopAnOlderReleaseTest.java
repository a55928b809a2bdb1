package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;
import org.lockstep.ValidationFailedException;

/**
 * Issue 11, item 8: once a newer release applied version 3, a worker of the older release
 * (scripts up to 2) failed validation on restart and restart-looped for the whole rolling
 * deploy. An applied version above every local script is FUTURE: reported, not fatal.
 */
final class FutureMigrationsDoNotStopAnOlderReleaseTest {
    @TempDir
    Path dir;

    private Fixture newerReleaseApplied() throws Exception {
        Fixture fixture = new Fixture(dir)
                .script("001_a.sql", "CREATE TABLE a (x);")
                .script("002_b.sql", "CREATE TABLE b (x);")
                .script("003_c.sql", "CREATE TABLE c (x);");
        Migrator.create(fixture.config().build()).migrate();
        Files.delete(fixture.scripts.resolve("003_c.sql")); // the older release's folder
        return fixture;
    }

    @Test
    void theOlderReleaseMigratesValidatesAndReportsTheFutureVersion() throws Exception {
        Fixture fixture = newerReleaseApplied();
        Migrator older = Migrator.create(fixture.config().build());

        MigrateResult result = older.migrate();
        older.validate();
        List<MigrationInfo> status = older.status();

        assertTrue(result.wasUpToDate());
        assertEquals(
                List.of("003"),
                result.future().stream().map(MigrationInfo::name).toList());
        assertEquals(
                List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.FUTURE),
                status.stream().map(MigrationInfo::state).toList());
        assertEquals("003_c.sql", status.get(2).script());
    }

    @Test
    void failOnFutureMakesItAValidationFailure() throws Exception {
        Fixture fixture = newerReleaseApplied();
        Migrator strict = Migrator.create(fixture.config().failOnFuture(true).build());

        ValidationFailedException failure = assertThrows(ValidationFailedException.class, strict::migrate);
        assertEquals(MigrationState.FUTURE, failure.problems().get(0).kind());
        assertThrows(ValidationFailedException.class, strict::validate);
    }

    @Test
    void aMissingScriptBelowTheHighestScriptStillFailsValidation() throws Exception {
        Fixture fixture = newerReleaseApplied();
        Files.delete(fixture.scripts.resolve("001_a.sql"));

        ValidationFailedException failure = assertThrows(
                ValidationFailedException.class,
                () -> Migrator.create(fixture.config().build()).migrate());
        assertEquals(
                List.of(MigrationState.MISSING_SCRIPT),
                failure.problems().stream().map(p -> p.kind()).toList());
    }

    @Test
    void theCommandShowsFutureAndSucceeds() throws Exception {
        Fixture fixture = newerReleaseApplied();
        String[] common = {"--database", fixture.database.toString(), "--migrations", fixture.scripts.toString()};
        for (String command : List.of("migrate", "validate", "status")) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(List.of(common));
            Fixture.Run run = Fixture.lockstep(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.toString());
        }
        Fixture.Run status = Fixture.lockstep("status", common[0], common[1], common[2], common[3]);
        assertTrue(status.out().contains("FUTURE"), status.toString());
    }
}

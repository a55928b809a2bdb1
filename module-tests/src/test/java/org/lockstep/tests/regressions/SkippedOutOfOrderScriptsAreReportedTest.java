package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;

/**
 * Issue 11, item 17: with validation off, an out-of-order script was skipped without a word,
 * and the result said the database was up to date.
 */
final class SkippedOutOfOrderScriptsAreReportedTest {
    @TempDir
    Path dir;

    @Test
    void theResultListsTheSkippedScriptAndIsNotUpToDate() {
        Fixture fixture =
                new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);").script("003_c.sql", "CREATE TABLE c (x);");
        Migrator.create(fixture.config().build()).migrate();
        fixture.script("002_b.sql", "CREATE TABLE b (x);");

        MigrateResult result = Migrator.create(
                        fixture.config().validateOnMigrate(false).build())
                .migrate();

        assertEquals(List.of(), result.applied());
        assertEquals(
                List.of("002"),
                result.skipped().stream().map(MigrationInfo::name).toList());
        assertEquals(MigrationState.OUT_OF_ORDER, result.skipped().get(0).state());
        assertFalse(result.wasUpToDate(), "a database with a script not applied is not up to date");
    }
}

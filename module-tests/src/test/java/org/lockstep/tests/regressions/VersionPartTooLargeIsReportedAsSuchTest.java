package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 11, item 11: a script whose version has a part too large for a {@code long} (a
 * 40-digit timestamp-like number) was reported as "does not follow the naming rule", which
 * it does; the accurate reason was swallowed.
 */
final class VersionPartTooLargeIsReportedAsSuchTest {
    private static final String HUGE = "1234567890123456789012345678901234567890";

    @TempDir
    Path dir;

    @Test
    void fortyDigitVersionIsRefusedNamingTheFileAndThePartThatIsTooLarge() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Path script = Files.writeString(scripts.resolve(HUGE + "_big.sql"), "CREATE TABLE t (a);");
        Path database = dir.resolve("app.db");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .build());

        InvalidScriptException e = assertThrows(InvalidScriptException.class, migrator::migrate);

        assertEquals(script.toString(), e.source());
        assertTrue(e.getMessage().contains("[" + script + "]"), e::getMessage);
        assertTrue(e.getMessage().contains("too large: [" + HUGE + "]"), e::getMessage);
        assertFalse(e.getMessage().contains("does not follow"), e::getMessage);
        assertFalse(Files.exists(database), "the database is not opened");
    }
}

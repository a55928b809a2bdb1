package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockstepException;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 11, item 15 (and issue 13, item 7): a password in a SQLite URL was printed in clear,
 * and the part of any password after a {@code ;} was printed.
 */
final class PasswordsInSqliteUrlsAreMaskedTest {
    @TempDir
    Path dir;

    @Test
    void aFailureNamesTheDatabaseWithoutItsPassword() {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        String url = "jdbc:sqlite:" + dir.resolve("no/such/folder/app.db") + "?password=Ab;LeakTail9";
        MigrationConfig config =
                MigrationConfig.builder().url(url).location(fixture.scripts).build();

        LockstepException failure = assertThrows(
                LockstepException.class, () -> Migrator.create(config).migrate());

        assertFalse(failure.getMessage().contains("LeakTail9"), failure.getMessage());
        assertFalse(config.describeDatabase().contains("LeakTail9"), config.describeDatabase());
        assertFalse(config.describeDatabase().contains("Ab"), config.describeDatabase());
        assertTrue(config.describeDatabase().endsWith("password=***"), config.describeDatabase());
    }

    @Test
    void theCommandNeverPrintsIt() {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        String url = "jdbc:sqlite:" + dir.resolve("no/such/folder/app.db") + "?password=Ab;LeakTail9";
        for (String command : new String[] {"migrate", "status"}) {
            Fixture.Run run = Fixture.lockstep(command, "--url", url, "--migrations", fixture.scripts.toString());
            assertTrue(command.equals("status") || run.exitCode() != 0, run.toString());
            assertTrue(run.exitCode() == 0 || run.err().contains("password=***"), run.toString());
            assertFalse((run.out() + run.err()).contains("LeakTail9"), run.toString());
        }
        Fixture.Run json = Fixture.lockstep(
                "migrate",
                "--url",
                "jdbc:postgresql://127.0.0.1:1/app?user=u&password=Ab;LeakTail9",
                "--migrations",
                fixture.scripts.toString(),
                "--json");
        assertFalse((json.out() + json.err()).contains("LeakTail9"), json.toString());
        assertEquals(json.exitCode() == 0, false, json.toString());
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/**
 * Issue 11, item 6: a script statement failing with SQLITE_LOCKED (here {@code PRAGMA
 * wal_checkpoint} inside the deploy's own transaction) was taken for "another connection holds
 * the lock": the deploy re-ran 268 times and ended in a lock time-out, with no other connection.
 */
final class LockedTableInAScriptIsAFailedMigrationTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void theStatementFailsTheMigrationOnceNamingFileAndLine() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);\nPRAGMA wal_checkpoint;\n");
        fixture.execute("PRAGMA journal_mode = WAL");

        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(fixture.config().build()).migrate());

        assertEquals("001_t.sql", failure.script());
        assertEquals(2, failure.line());
        assertTrue(failure.getMessage().contains("PRAGMA wal_checkpoint"), failure.getMessage());
        assertEquals(List.of(), fixture.column("SELECT name FROM sqlite_master WHERE name = 't'"));
    }

    @Test
    @Timeout(30)
    void theCommandExitsWithTheFailedMigrationCode() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);\nPRAGMA wal_checkpoint;\n");
        fixture.execute("PRAGMA journal_mode = WAL");
        Fixture.Run run = Fixture.lockstep(
                "migrate", "--database", fixture.database.toString(), "--migrations", fixture.scripts.toString());
        assertEquals(1, run.exitCode(), run.toString());
    }
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/**
 * Issue 13, items 5 and 6: a script's own 55P03, 40001 or 40P01 was taken for "the lock is
 * busy" (the deploy re-ran ~90 times, then a lock time-out), and a permission denied inside a
 * script lost its version, file and line.
 */
final class ScriptErrorsAreFailedMigrationsNotBusyLocksTest extends PostgresCase {

    @ParameterizedTest
    @ValueSource(strings = {"lock_not_available", "serialization_failure", "deadlock_detected"})
    @Timeout(60)
    void aScriptRaisingALockErrorFailsItsMigrationOnce(String condition) throws Exception {
        script("001_t.sql", "CREATE TABLE t (x int);\n");
        script("002_raise.sql", "DO $$ BEGIN RAISE EXCEPTION 'no' USING ERRCODE = '" + condition + "'; END $$;\n");

        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(config().build()).migrate());

        assertEquals("002_raise.sql", failed.script());
        assertEquals(1, failed.line());
        assertEquals(List.of(), tablesNamed("t"), "rolled back");
    }

    @Test
    @Timeout(60)
    void lockTableNowaitUnderContentionFailsTheMigration() throws Exception {
        executeAsRole("CREATE TABLE items (x int)");
        script("001_lock.sql", "LOCK TABLE items IN ACCESS EXCLUSIVE MODE NOWAIT;\n");
        try (Connection other = connectAsRole();
                Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("LOCK TABLE items IN ACCESS SHARE MODE");
            MigrationFailedException failed = assertThrows(
                    MigrationFailedException.class,
                    () -> Migrator.create(config().build()).migrate());
            assertEquals("001_lock.sql", failed.script());
            other.rollback();
        }
    }

    @Test
    @Timeout(60)
    void aPermissionDeniedInAScriptIsAFailedMigrationWithItsLine() throws Exception {
        database.execute("CREATE TABLE owned_by_admin (x int)");
        script("001_alter.sql", "\nALTER TABLE owned_by_admin ADD COLUMN y int;\n");

        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(config().build()).migrate());

        assertEquals("001_alter.sql", failed.script());
        assertEquals(2, failed.line());
        assertEquals("42501", failed.sqlState());
    }

    @Test
    @Timeout(60)
    void aHistoryTableThatCannotBeCreatedSaysSo() throws Exception {
        database.execute("REVOKE ALL ON SCHEMA public FROM " + role, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        script("001_t.sql", "SELECT 1;\n");

        DatabaseException refused = assertThrows(
                DatabaseException.class, () -> Migrator.create(config().build()).migrate());

        assertTrue(refused.getMessage().contains("creating the history table"), refused.getMessage());
    }
}

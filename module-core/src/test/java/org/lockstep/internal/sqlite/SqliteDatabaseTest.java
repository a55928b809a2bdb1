package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.protocol.Session;

/** How SQLite's result codes become busy, database faults and messages, and what a URL says of the file. */
final class SqliteDatabaseTest {
    private static final HistoryName HISTORY = new HistoryName("lockstep_history", Optional.empty());

    @TempDir
    Path dir;

    private static SqliteDatabase database(String url) {
        return new SqliteDatabase(ConnectionSource.of(url), HISTORY);
    }

    private static SQLException code(int code) {
        return new SQLException("[SQLITE] code " + code, null, code);
    }

    @Test
    void busyAndLockedAreBusyInTheirExtendedFormsAndFromACause() {
        SqliteDatabase database = database("jdbc:sqlite:x.db");

        assertTrue(database.isBusy(code(5)));
        assertTrue(database.isBusy(code(6)));
        assertTrue(database.isBusy(code(261)), "SQLITE_BUSY_RECOVERY");
        assertTrue(database.isBusy(code(262)), "SQLITE_LOCKED_SHAREDCACHE");
        assertTrue(database.isBusy(new SQLException("wrapped", new SQLException("busy", null, 5))));
        assertFalse(database.isBusy(code(4)));
        assertFalse(database.isBusy(code(7)));
        assertFalse(database.isBusy(new SQLException("no code")));
        assertEquals(0, SqliteDatabase.resultCode(new SQLException("no code", new RuntimeException("nor here"))));
        assertEquals(8, SqliteDatabase.resultCode(new SQLException("outer", null, 0) {
            {
                initCause(new SQLException("inner", null, 1032));
            }
        }));
    }

    @Test
    void theFaultsOfTheDatabaseItselfAreThoseOfItsFileAndDisk() {
        SqliteDatabase database = database("jdbc:sqlite:x.db");

        for (int fault : new int[] {3, 8, 10, 11, 13, 14, 26}) {
            assertTrue(database.isDatabaseFault(code(fault)), "code " + fault);
        }
        for (int other : new int[] {0, 1, 5, 6, 19}) {
            assertFalse(database.isDatabaseFault(code(other)), "code " + other);
        }
    }

    @Test
    void eachFaultIsTranslatedWithItsReasonAndWhatWasBeingDone() {
        SqliteDatabase database = database("jdbc:sqlite:x.db");
        String where = "Database [" + database.describe() + "]";

        DatabaseException notADatabase = database.translate(code(26), "migrating");
        assertEquals(DatabaseException.Reason.NOT_A_DATABASE, notADatabase.reason());
        assertEquals(where + " is not a SQLite database: [SQLITE] code 26", notADatabase.getMessage());

        DatabaseException readOnly = database.translate(code(8), "migrating");
        assertEquals(DatabaseException.Reason.READ_ONLY, readOnly.reason());
        assertEquals(
                where + " is read-only (the file, or its folder where SQLite keeps its journal) while migrating:"
                        + " [SQLITE] code 8",
                readOnly.getMessage());

        for (int cannot : new int[] {14, 3}) {
            DatabaseException cannotOpen = database.translate(code(cannot), "reading");
            assertEquals(DatabaseException.Reason.CANNOT_OPEN, cannotOpen.reason());
            assertEquals(where + " cannot be opened while reading: [SQLITE] code " + cannot, cannotOpen.getMessage());
        }

        DatabaseException corrupt = database.translate(code(11), "reading");
        assertEquals(DatabaseException.Reason.CORRUPT, corrupt.reason());
        assertEquals(where + " is damaged: [SQLITE] code 11", corrupt.getMessage());

        DatabaseException full = database.translate(code(13), "committing");
        assertEquals(DatabaseException.Reason.DISK_FULL, full.reason());
        assertEquals(
                where + " cannot grow: the disk (or the user's quota) is full, while committing: [SQLITE] code 13."
                        + " Free some room and run migrate again",
                full.getMessage());

        DatabaseException io = database.translate(code(10), "committing");
        assertEquals(DatabaseException.Reason.IO_ERROR, io.reason());
        assertEquals(
                where + " could not be read or written (an I/O error from the operating system) while committing:"
                        + " [SQLITE] code 10. Check the disk and the file system's log",
                io.getMessage());

        DatabaseException moved = database.translate(code(1032), "migrating"); // SQLITE_READONLY_DBMOVED
        assertEquals(DatabaseException.Reason.DATABASE_REPLACED, moved.reason());
        assertEquals(
                where + " was deleted or replaced while this worker had it open (SQLite refuses to write a file"
                        + " that was moved or unlinked) while migrating: [SQLITE] code 1032",
                moved.getMessage());

        DatabaseException other = database.translate(code(1), "committing");
        assertEquals(DatabaseException.Reason.OTHER, other.reason());
        assertEquals(where + " failed while committing: [SQLITE] code 1", other.getMessage());
        assertEquals(code(1).getMessage(), other.getCause().getMessage());
    }

    @Test
    void aFileUrlWhoseFileIsMissingIsAbsentAndOneInMemoryIsNot() throws Exception {
        Path file = dir.resolve("app.db");
        assertTrue(database("jdbc:sqlite:" + file).isAbsent());

        Files.createFile(file);
        assertFalse(database("jdbc:sqlite:" + file).isAbsent());
        assertFalse(database("jdbc:sqlite::memory:").isAbsent());
        assertFalse(new SqliteDatabase(new PinnedConnectionSource(ConnectionSource.of("jdbc:sqlite::memory:")), HISTORY)
                .isAbsent());
    }

    @Test
    void aDatabaseInMemoryKeepsOneConnectionAndAFileDoesNot() throws SQLException {
        ConnectionSource memory = SqliteDatabase.DIALECT.connections().of("jdbc:sqlite::memory:", null, null);
        ConnectionSource file =
                SqliteDatabase.DIALECT.connections().of("jdbc:sqlite:" + dir.resolve("f.db"), null, null);

        assertTrue(memory instanceof PinnedConnectionSource, memory.getClass().getName());
        assertFalse(file instanceof PinnedConnectionSource, file.getClass().getName());
    }

    @Test
    void aHistorySchemaOtherThanMainIsRefused() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        try (Session main =
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("h", Optional.of("MAIN"))).open()) {
            assertTrue(main != null);
        }

        SqliteDatabase other =
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("h", Optional.of("public")));
        DatabaseException e = assertThrows(DatabaseException.class, other::open);
        assertEquals(DatabaseException.Reason.UNSUPPORTED, e.reason());
        assertEquals(
                "History schema [public] is for PostgreSQL: SQLite keeps the history in the main database of ["
                        + other.describe() + "]",
                e.getMessage());
    }
}

package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.TransactionMode;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sql.SqlStatement;

/**
 * What a fault while holding the lock (a full disk, an I/O error) says about the state it left:
 * the history read back on a new connection, which is what every later reader sees; and, when
 * that read fails too, what the worker last knew. In-process, on a scripted database; the
 * process test {@code DiskFullIT} fills a real disk.
 */
final class FaultReadBackTest {
    private static final int IOERR = 10;
    private static final int BUSY = 5;

    @TempDir
    Path dir;

    private List<MigrationScript> scripts;
    private final List<Duration> slept = new ArrayList<>();

    @BeforeEach
    void writeScripts() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        Files.writeString(folder.resolve("002_b.sql"), "CREATE TABLE b (x);\n");
        scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
    }

    /** Where the scripted database fails. */
    private enum Fault {
        STATEMENT,
        COMMIT_LOST,
        COMMIT_KEPT
    }

    /** A database that fails once as told, then answers reads, unless its read-back fails too. */
    private static final class Faulty implements Database {
        final List<HistoryRow> rows = new ArrayList<>();
        final Fault fault;
        int readBackErrors;
        int readBackBusy;
        int opens;

        Faulty(Fault fault) {
            this.fault = fault;
        }

        @Override
        public Session open() throws SQLException {
            opens++;
            if (opens > 1 && readBackBusy > 0) {
                readBackBusy--;
                throw new SQLException("database is locked", null, BUSY);
            }
            if (opens > 1 && readBackErrors > 0) {
                readBackErrors--;
                throw new SQLException("unable to open database file", null, 14);
            }
            return new QuietSession(rows) {
                boolean failed;

                @Override
                public void execute(SqlStatement statement) throws SQLException {
                    if (fault == Fault.STATEMENT && !pending.isEmpty() && !failed) {
                        failed = true;
                        throw new SQLException("disk I/O error", null, IOERR);
                    }
                }

                @Override
                public void commit() throws SQLException {
                    if (fault == Fault.COMMIT_KEPT) {
                        committed.addAll(pending);
                    }
                    if (fault != Fault.STATEMENT) {
                        throw new SQLException("disk I/O error", null, IOERR);
                    }
                    super.commit();
                }
            };
        }

        @Override
        public boolean isBusy(SQLException error) {
            return error.getErrorCode() == BUSY;
        }

        @Override
        public boolean isDatabaseFault(SQLException error) {
            return error.getErrorCode() == IOERR;
        }

        @Override
        public DatabaseException translate(SQLException error, String doing) {
            return new DatabaseException(DatabaseException.Reason.OTHER, "I/O error while " + doing, error);
        }

        @Override
        public String describe() {
            return "faulty.db";
        }
    }

    private MigrationProtocol protocol(Database database) {
        return new MigrationProtocol(
                database,
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC),
                slept::add,
                Backoff.DEFAULT,
                Turns.NONE,
                new MigrationProtocol.Settings(
                        "tester",
                        TransactionMode.ALL_PENDING,
                        true,
                        false,
                        false,
                        Duration.ofSeconds(10),
                        100,
                        null,
                        MigrationListener.NONE,
                        false,
                        Duration.ZERO));
    }

    private String failure(Faulty database) {
        return assertThrows(DatabaseException.class, () -> protocol(database).migrate(scripts, new SplittableRandom(1)))
                .getMessage();
    }

    @Test
    void aFaultInAStatementSaysTheDeployWasRolledBackAndTheVersionReadBack() {
        Faulty database = new Faulty(Fault.STATEMENT);

        String message = failure(database);

        assertEquals(
                "I/O error while applying migration [002] from [002_b.sql] at line [1]. The deploy was rolled back:"
                        + " nothing of it was committed; the database has no migration applied",
                message);
        assertEquals(2, database.opens, "read back on a connection of its own");
    }

    @Test
    void aReadBackBusyForAWhileIsTriedAgain() {
        Faulty database = new Faulty(Fault.STATEMENT);
        database.readBackBusy = 2;

        String message = failure(database);

        assertTrue(
                message.endsWith("The deploy was rolled back: nothing of it was committed; the database has no"
                        + " migration applied"),
                message);
        assertEquals(4, database.opens);
        assertEquals(2, slept.size(), "a backoff wait before each try again");
    }

    @Test
    void aReadBackThatFailsSaysWhatTheWorkerLastRead() {
        Faulty database = new Faulty(Fault.STATEMENT);
        database.readBackErrors = 1;

        String message = failure(database);

        assertTrue(
                message.endsWith("The deploy was rolled back (the database rolls back what was not committed):"
                        + " nothing of it was committed; the database had no migration applied when this worker"
                        + " took the lock (it could not be read back: unable to open database file)"),
                message);
    }

    @Test
    void aFaultInTheCommitWhoseRowsAreReadBackSaysTheyWereCommitted() {
        Faulty database = new Faulty(Fault.COMMIT_KEPT);

        String message = failure(database);

        assertTrue(
                message.endsWith("The deploy of [001, 002] was committed before the failure was reported; the"
                        + " database is at version [002]"),
                message);
    }

    @Test
    void aFaultInTheCommitWhoseRowsAreNotThereSaysItWasRolledBack() {
        Faulty database = new Faulty(Fault.COMMIT_LOST);

        String message = failure(database);

        assertTrue(message.startsWith("I/O error while committing the deploy."), message);
        assertTrue(
                message.endsWith("The deploy was rolled back: nothing of it was committed; the database has no"
                        + " migration applied"),
                message);
    }

    @Test
    void aFaultInTheCommitThatCannotBeReadBackSaysTheOutcomeIsUnknown() {
        Faulty database = new Faulty(Fault.COMMIT_KEPT);
        database.readBackErrors = 1;

        String message = failure(database);

        assertTrue(
                message.endsWith("The failure came during COMMIT, so whether the deploy was committed is unknown,"
                        + " and the history could not be read back (unable to open database file); see lockstep"
                        + " status"),
                message);
    }
}

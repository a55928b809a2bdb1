package org.lockstep.internal.protocol;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.ForeignTable;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.sql.SqlStatement;

/**
 * One connection to the database, as the protocol sees it. Every call is one interaction
 * with the database, which is what lets a simulator interleave workers call by call.
 *
 * <p>Any call may throw an {@link SQLException} that {@link Database#isBusy} classifies as
 * "the lock is held elsewhere"; the protocol then closes the session and retries.
 *
 * <p>A session is used by one thread, except {@link #cancel()}, which any thread may call.
 */
public interface Session extends AutoCloseable {

    /**
     * Reads the committed history in one read transaction, without taking the migration lock.
     * After {@link #lock()} it reads the history as the lock holder sees it: every commit of
     * an earlier holder included.
     *
     * @return the history
     * @throws SQLException on a database error, including busy
     * @throws org.lockstep.DatabaseException if the history table has an unexpected shape
     */
    HistorySnapshot readHistory() throws SQLException;

    /**
     * Returns a value that changes whenever another connection commits to the database, read
     * without a transaction and cheaply (SQLite's {@code PRAGMA data_version}); a constant for a
     * database with no cheap way to tell, whose waiters then wait out their backoff.
     *
     * @return the token
     * @throws SQLException on a database error
     */
    long changeToken() throws SQLException;

    /**
     * Waits before the caller reads {@link #changeToken} again: by default it sleeps
     * {@code watch} (a poll), or {@code max} if that is less. A session that the database's
     * host can tell of a change waits for that instead, up to {@code max}, and may return early
     * for a change that was no commit; the caller reads the token after every return.
     *
     * @param watch how long a poll sleeps
     * @param max the longest to wait
     * @param sleeper how the caller sleeps (simulated time in the simulation)
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    default void pauseForCommit(Duration watch, Duration max, Sleeper sleeper) throws InterruptedException {
        poll(watch, max, sleeper);
    }

    /**
     * The default pause: sleeps {@code watch}, or {@code max} if that is less.
     *
     * @param watch how long a poll sleeps
     * @param max the longest to wait
     * @param sleeper how the caller sleeps
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    static void poll(Duration watch, Duration max, Sleeper sleeper) throws InterruptedException {
        sleeper.sleep(max.compareTo(watch) < 0 ? max : watch);
    }

    /**
     * Returns the {@link #changeToken} as of the snapshot the last {@link #readHistory} outside
     * the lock returned, if the token moves on every commit of another connection: then a token
     * that has not moved since says the history has not changed. Empty for a constant token,
     * and before the first read.
     *
     * @return the token of the last read, if the token tracks commits
     */
    default OptionalLong tokenOfLastRead() {
        return OptionalLong.empty();
    }

    /**
     * Reads tables that other migration tools keep their histories in, whole, inside the
     * current transaction (after {@link #lock}, so nothing changes them while Lockstep records
     * what they say). A table that does not exist is left out. A database that holds no other
     * tool's tables (the simulator's) has none, which is the default.
     *
     * @param names the tables' names as the tools create them, plain identifiers
     * @return each table that exists, in the order asked for
     * @throws SQLException on a database error
     */
    default List<ForeignTable> readForeignTables(List<String> names) throws SQLException {
        return List.of();
    }

    /**
     * Returns what an operator wants to know about this database besides its history: its
     * product and version, and whatever else its dialect adds, label to value, in display order.
     *
     * @return the details
     * @throws SQLException on a database error
     */
    Map<String, String> about() throws SQLException;

    /**
     * Starts the transaction that applies the migrations and takes the migration lock in it,
     * at once or not at all: it fails fast with a busy error if another connection holds the
     * lock. The lock is released when the transaction ends, and when the connection dies.
     *
     * @param statementLockWait the longest a statement of this transaction may wait for a lock
     *     another connection holds (a table's, on PostgreSQL), after which it fails with
     *     {@link StatementLockTimeoutException}; a dialect whose statements never wait ignores it
     * @throws SQLException on a database error, including busy
     */
    void lock(Duration statementLockWait) throws SQLException;

    /**
     * A migration is about to run inside the transaction: the session's state (settings a
     * script can change, such as PostgreSQL's {@code search_path}) is put back as it was when
     * the transaction began, so no migration sees what an earlier one of the same transaction
     * set, and a deploy of several migrations behaves as the same migrations one per
     * transaction.
     *
     * @throws SQLException on a database error
     */
    void startMigration() throws SQLException;

    /**
     * Creates the history table inside the current transaction.
     *
     * @throws SQLException on a database error
     */
    void createHistoryTable() throws SQLException;

    /**
     * Upgrades the history table, which is of an older format than
     * {@link org.lockstep.internal.history.HistoryTable#FORMAT}, to the current format inside the
     * current transaction, keeping every row; the rows this session inserts afterwards are of the
     * current format.
     *
     * @param rows the table's rows, as this session read them under the lock
     * @throws SQLException on a database error
     */
    void upgradeHistoryTable(List<HistoryRow> rows) throws SQLException;

    /**
     * Runs a Java migration inside the current transaction, on this session's connection
     * behind a {@link org.lockstep.internal.jdbc.GuardedConnection}.
     *
     * @param migration the migration
     * @param name what to call it in messages
     * @throws SQLException what the migration or the database threw, or a refusal of the guard
     *     that the migration swallowed
     * @throws RuntimeException what the migration threw
     */
    default void runJava(org.lockstep.JavaMigration migration, String name) throws SQLException {
        throw new UnsupportedOperationException("This database runs no Java migrations: " + name);
    }

    /**
     * Runs one statement of a script inside the current transaction.
     *
     * @param statement the statement
     * @throws StatementLockTimeoutException if it waited for another connection's lock past
     *     the bound given to {@link #lock}
     * @throws SQLException on a database error
     */
    void execute(SqlStatement statement) throws SQLException;

    /**
     * Marks where the deploy's own work begins inside the locked transaction (a savepoint), so
     * that {@link #undoDeploy()} can take back a failed deploy while the lock is kept.
     *
     * @throws SQLException on a database error
     */
    void markDeploy() throws SQLException;

    /**
     * Takes back everything done since {@link #markDeploy()} (rolls back to the savepoint),
     * keeping the transaction and the lock, so that a failed attempt can be recorded under the
     * same lock ({@link #insertFailure}).
     *
     * @throws SQLException on a database error, including one that ended the transaction
     */
    void undoDeploy() throws SQLException;

    /**
     * Records a failed attempt inside the current transaction, creating the failure table
     * ({@link org.lockstep.internal.history.FailureTable}) if it does not exist.
     *
     * @param failure the failed attempt
     * @throws SQLException on a database error
     */
    void insertFailure(FailureRecord failure) throws SQLException;

    /**
     * Reads every recorded failed attempt: as committed, outside a transaction; as the lock
     * holder sees them after {@link #lock}. Empty if the failure table does not exist.
     *
     * @return the records, in no particular order
     * @throws SQLException on a database error, including busy
     */
    List<FailureRecord> readFailures() throws SQLException;

    /**
     * Stops the statement this session runs now, from another thread; it then fails with an
     * error. Does nothing if none runs (the protocol checks its {@link Cancellation} between
     * statements). Never throws.
     */
    default void cancel() {}

    /**
     * Checks the integrity rules that were not enforced while the scripts ran (on SQLite:
     * foreign keys, which are off while migrating so that table rebuilds cannot cascade).
     *
     * @return a description of each violation, naming the table, row and parent; empty if none
     * @throws SQLException on a database error
     */
    List<String> integrityViolations() throws SQLException;

    /**
     * Records an applied migration inside the current transaction.
     *
     * @param row the row
     * @throws SQLException on a database error
     */
    void insertHistory(HistoryRow row) throws SQLException;

    /**
     * Commits the current transaction and releases the lock. A busy error means the commit
     * must wait for readers and the transaction is still open, so the commit may be tried
     * again; a dialect whose failed commit ends the transaction must not report it as busy.
     *
     * @throws SQLException on a database error, including busy
     */
    void commit() throws SQLException;

    /**
     * Rolls back an open transaction, restores the connection's settings and closes it.
     *
     * @throws SQLException on a database error
     */
    @Override
    void close() throws SQLException;
}

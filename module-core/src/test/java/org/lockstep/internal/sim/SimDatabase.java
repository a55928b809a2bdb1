package org.lockstep.internal.sim;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A simulated database with just the semantics the protocol relies on through its
 * {@link Session} seam, each one checked against real SQLite by
 * {@code SimDatabaseDifferentialTest}. Which busy errors it throws follows the scenario's
 * {@link Scenario.LockShape}: PostgreSQL's never blocks a read or a commit.
 *
 * <ul>
 *   <li>One writer at a time: {@code BEGIN IMMEDIATE} takes the write lock or fails at once
 *       with SQLITE_BUSY (5) while another connection, or an outside writer, holds it.
 *   <li>Readers see only committed state; a transaction sees its own changes.
 *   <li>Commit replaces the committed state atomically and releases the lock.
 *   <li>Closing a connection, or crashing its worker, drops its open transaction and
 *       releases the lock (SQLite's hot-journal rollback, from the protocol's view).
 *   <li>The history table's version is unique: a second row for a version fails with
 *       SQLITE_CONSTRAINT (19), as it does in SQLite. A table of format 1 (the previous
 *       release's) has no room for a repeatable migration's row, which has no version: that
 *       fails with SQLITE_CONSTRAINT too, until the table is upgraded, in a transaction like
 *       any other change. Rows are ranked in the order they are inserted.
 *   <li>Optionally, a read while another connection holds the lock sometimes fails with
 *       busy, as a reader does in rollback-journal mode while the writer commits.
 *   <li>Optionally, a COMMIT sometimes fails with busy and leaves the transaction open and
 *       the lock held, as in rollback-journal mode while a reader keeps its shared lock;
 *       a later COMMIT may succeed (https://www.sqlite.org/lang_transaction.html).
 *   <li>A savepoint at the start of the deploy: rolling back to it takes back the deploy's
 *       effects and history rows and keeps the transaction and the lock; the failure records
 *       written after it commit with the transaction (SQLite's and PostgreSQL's SAVEPOINT).
 * </ul>
 *
 * <p>Scripts are real SQL of two shapes: {@code INSERT INTO effects (name) VALUES ('...')}
 * records an effect (not idempotent: applying it twice records it twice), and any statement
 * naming {@code no_such_table} fails with SQLITE_ERROR (1). Every call is a yield point.
 */
final class SimDatabase {
    static final Pattern EFFECT = Pattern.compile("INSERT INTO effects \\(name\\) VALUES \\('([^']*)'\\)");
    private static final String OUTSIDE = "outside";

    /**
     * What is in the file: history table, its format (0 when there is none), its rows, the
     * effects of scripts, and the failure records.
     */
    record State(
            boolean historyExists,
            List<HistoryRow> history,
            List<String> effects,
            List<FailureRecord> failures,
            int format) {
        State {
            history = List.copyOf(history);
            effects = List.copyOf(effects);
            failures = List.copyOf(failures);
        }

        State(boolean historyExists, List<HistoryRow> history, List<String> effects, int format) {
            this(historyExists, history, effects, List.of(), format);
        }

        static final State EMPTY = new State(false, List.of(), List.of(), 0);

        State withHistory(List<HistoryRow> rows) {
            return new State(historyExists, rows, effects, failures, format);
        }

        State withEffects(List<String> newEffects) {
            return new State(historyExists, history, newEffects, failures, format);
        }

        State withFailures(List<FailureRecord> newFailures) {
            return new State(historyExists, history, effects, newFailures, format);
        }
    }

    private State committed;
    private long commits; // what PRAGMA data_version tells another connection
    private String lockHolder;
    private long outsideReleaseAtMillis = -1;
    private int failingRuns;
    private final int readBusyPercent;
    private final int commitBusyPercent;
    private final Tape tape;
    private final List<String> trace;

    SimDatabase(State initial, int readBusyPercent, int commitBusyPercent, Tape tape, List<String> trace) {
        this.committed = initial;
        this.readBusyPercent = readBusyPercent;
        this.commitBusyPercent = commitBusyPercent;
        this.tape = tape;
        this.trace = trace;
    }

    State committed() {
        return committed;
    }

    /** How many times a failing statement ran: what a herd spent on a broken deploy. */
    int failingRuns() {
        return failingRuns;
    }

    /** An outside writer holds the lock until the given simulated time. */
    void holdOutsideUntil(long millis) {
        lockHolder = OUTSIDE;
        outsideReleaseAtMillis = millis;
        trace.add("outside: BEGIN IMMEDIATE (held until " + millis + " ms)");
    }

    /** Releases the outside lock if its time is up; returns the next outside event time or -1. */
    long tick(long nowMillis) {
        if (OUTSIDE.equals(lockHolder) && nowMillis >= outsideReleaseAtMillis) {
            lockHolder = null;
            trace.add("outside: ROLLBACK at " + nowMillis + " ms");
        }
        return OUTSIDE.equals(lockHolder) ? outsideReleaseAtMillis : -1;
    }

    /** The database as one worker's protocol sees it, without a history identity (a data source's). */
    Database forWorker(Scheduler.Worker worker) {
        return forWorker(worker, false);
    }

    /**
     * The database as one worker's protocol sees it; with a history identity (as a file or a
     * server reached by URL has), the protocol reads a deploy back on the connection that
     * committed it, and without one on a new connection.
     */
    Database forWorker(Scheduler.Worker worker, boolean identified) {
        return new Database() {
            @Override
            public Session open() {
                worker.yieldAt("open");
                worker.log("OPEN");
                return new SimSession(worker);
            }

            @Override
            public boolean isBusy(SQLException error) {
                return error.getErrorCode() == 5;
            }

            @Override
            public boolean isDatabaseFault(SQLException error) {
                return false;
            }

            @Override
            public DatabaseException translate(SQLException error, String doing) {
                return new DatabaseException(
                        DatabaseException.Reason.OTHER, "sim failed while " + doing + ": " + error.getMessage(), error);
            }

            @Override
            public String describe() {
                return "sim.db";
            }

            @Override
            public Optional<String> historyIdentity() {
                return identified ? Optional.of("sim.db") : Optional.empty();
            }
        };
    }

    private final class SimSession implements Session {
        private java.util.OptionalLong tokenOfLastRead = java.util.OptionalLong.empty();
        private final Scheduler.Worker worker;
        private final String id;
        private State transaction;
        private State savepoint;
        private boolean closed;

        SimSession(Scheduler.Worker worker) {
            this.worker = worker;
            this.id = worker.name + "#" + worker.incarnation;
        }

        private void step(String event) {
            if (closed) {
                throw new IllegalStateException("session used after close");
            }
            worker.yieldAt(event);
            if (transaction != null && !id.equals(lockHolder)) {
                throw new IllegalStateException(id + " lost a lock it held");
            }
        }

        @Override
        public long changeToken() {
            step("data_version");
            return commits;
        }

        @Override
        public java.util.OptionalLong tokenOfLastRead() {
            return tokenOfLastRead;
        }

        @Override
        public java.util.Map<String, String> about() {
            step("about");
            return java.util.Map.of("product", "simulated database");
        }

        @Override
        public HistorySnapshot readHistory() throws SQLException {
            step("read history");
            State seen = transaction != null ? transaction : committed;
            if (transaction == null && lockHolder != null && readBusyPercent > 0 && tape.chance(readBusyPercent)) {
                worker.log("READ HISTORY -> BUSY");
                throw new SQLException("database is locked (simulated reader during commit)", "", 5);
            }
            worker.log("READ HISTORY -> " + (seen.historyExists() ? versions(seen) : "no table")
                    + (transaction != null ? " (under lock)" : ""));
            if (transaction == null) {
                tokenOfLastRead = java.util.OptionalLong.of(commits);
            }
            return new HistorySnapshot(
                    seen.historyExists(), seen.history(), !seen.effects().isEmpty(), seen.format());
        }

        @Override
        public void lock(java.time.Duration statementLockWait) throws SQLException {
            step("BEGIN IMMEDIATE");
            if (lockHolder != null) {
                worker.log("BEGIN IMMEDIATE -> BUSY");
                throw new SQLException("database is locked", "", 5);
            }
            lockHolder = id;
            transaction = committed;
            worker.log("BEGIN IMMEDIATE -> OK");
        }

        @Override
        public void startMigration() {
            step("start migration");
        }

        @Override
        public void createHistoryTable() {
            step("create history");
            if (!transaction.historyExists()) {
                transaction = new State(
                        true,
                        transaction.history(),
                        transaction.effects(),
                        transaction.failures(),
                        HistoryTable.FORMAT);
            }
            worker.log("CREATE TABLE IF NOT EXISTS history");
        }

        @Override
        public void upgradeHistoryTable(List<HistoryRow> rows) {
            step("upgrade history");
            if (!transaction.historyExists() || transaction.format() != 1) {
                throw new IllegalStateException("upgrade of a history table of format " + transaction.format());
            }
            List<HistoryRow> ranked = new ArrayList<>();
            for (HistoryRow row : transaction.history()) {
                ranked.add(row.ranked(ranked.size() + 1));
            }
            transaction = new State(true, ranked, transaction.effects(), transaction.failures(), HistoryTable.FORMAT);
            worker.log("UPGRADE history to format " + HistoryTable.FORMAT);
        }

        @Override
        public void execute(SqlStatement statement) throws SQLException {
            step("execute");
            if (statement.sql().contains("no_such_table")) {
                failingRuns++;
                worker.log("EXEC " + statement.sql() + " -> ERROR");
                throw new SQLException("no such table: no_such_table", "", 1);
            }
            Matcher effect = EFFECT.matcher(statement.sql());
            if (!effect.matches()) {
                throw new IllegalArgumentException("the simulator runs only effect inserts: " + statement.sql());
            }
            List<String> effects = new ArrayList<>(transaction.effects());
            effects.add(effect.group(1));
            transaction = transaction.withEffects(effects);
            worker.log("EXEC effect " + effect.group(1));
        }

        @Override
        public void markDeploy() {
            step("SAVEPOINT");
            savepoint = transaction;
            worker.log("SAVEPOINT");
        }

        @Override
        public void undoDeploy() throws SQLException {
            step("ROLLBACK TO SAVEPOINT");
            if (savepoint == null) {
                throw new SQLException("no such savepoint: lockstep_deploy", "", 1);
            }
            transaction = savepoint;
            worker.log("ROLLBACK TO SAVEPOINT");
        }

        @Override
        public void insertFailure(FailureRecord failure) {
            step("insert failure");
            List<FailureRecord> failures = new ArrayList<>(transaction.failures());
            failures.add(failure);
            transaction = transaction.withFailures(failures);
            worker.log("INSERT failure " + failure.version() + " by " + failure.failedBy());
        }

        @Override
        public List<FailureRecord> readFailures() throws SQLException {
            step("read failures");
            State seen = transaction != null ? transaction : committed;
            if (transaction == null && lockHolder != null && readBusyPercent > 0 && tape.chance(readBusyPercent)) {
                worker.log("READ FAILURES -> BUSY");
                throw new SQLException("database is locked (simulated reader during commit)", "", 5);
            }
            worker.log("READ FAILURES -> " + seen.failures().size() + (transaction != null ? " (under lock)" : ""));
            return seen.failures();
        }

        @Override
        public List<String> integrityViolations() {
            step("integrity check");
            return List.of();
        }

        @Override
        public void insertHistory(HistoryRow row) throws SQLException {
            step("insert history");
            if (!transaction.historyExists()) {
                throw new SQLException("no such table: schema_migrations", "", 1);
            }
            if (row.version() == null && transaction.format() == 1) {
                worker.log("INSERT history " + Checks.key(row) + " -> CONSTRAINT (format 1)");
                throw new SQLException("NOT NULL constraint failed: schema_migrations.version", "", 19);
            }
            for (HistoryRow existing : transaction.history()) {
                if (row.version() != null && row.version().equals(existing.version())) {
                    worker.log("INSERT history " + row.version() + " -> CONSTRAINT");
                    throw new SQLException("UNIQUE constraint failed: schema_migrations.version", "", 19);
                }
            }
            List<HistoryRow> rows = new ArrayList<>(transaction.history());
            rows.add(row.ranked(rows.size() + 1));
            transaction = transaction.withHistory(rows);
            worker.log("INSERT history " + Checks.key(row));
        }

        @Override
        public void commit() throws SQLException {
            step("COMMIT");
            if (commitBusyPercent > 0 && tape.chance(commitBusyPercent)) {
                worker.log("COMMIT -> BUSY (a reader holds its shared lock; the transaction stays open)");
                throw new SQLException("database is locked (simulated reader at commit)", "", 5);
            }
            committed = transaction;
            commits++;
            transaction = null;
            savepoint = null;
            lockHolder = null;
            worker.log("COMMIT");
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // A dead worker makes no more calls: the OS closed its file, and SQLite rolls its
                // journal back. A live one closes through a yield point like any other call.
                if (!worker.dead) {
                    worker.yieldAt("close");
                }
            } finally {
                if (transaction != null) {
                    transaction = null;
                    savepoint = null;
                    worker.log(worker.dead ? "(killed: transaction rolled back, lock released)" : "CLOSE -> ROLLBACK");
                }
                if (id.equals(lockHolder)) {
                    lockHolder = null;
                }
            }
        }
    }

    /** Releases whatever a crashed worker held: its connection is gone. */
    void crashed(Scheduler.Worker worker) {
        String id = worker.name + "#" + worker.incarnation;
        if (id.equals(lockHolder)) {
            lockHolder = null;
        }
    }

    private static List<String> versions(State state) {
        return Checks.keys(state.history());
    }
}

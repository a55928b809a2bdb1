package org.lockstep.internal.protocol;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A session over a list of committed rows that does nothing else: the lock is free, statements
 * succeed, the rows a deploy inserts are committed with it. The base of the scripted databases
 * of the protocol's tests, each of which overrides the calls it makes fail or wait.
 */
class QuietSession implements Session {
    /** The committed rows, shared by the sessions of one database. */
    protected final List<HistoryRow> committed;
    /** The rows inserted in the open transaction. */
    protected final List<HistoryRow> pending = new ArrayList<>();

    QuietSession(List<HistoryRow> committed) {
        this.committed = committed;
    }

    @Override
    public HistorySnapshot readHistory() {
        return new HistorySnapshot(!committed.isEmpty(), List.copyOf(committed), false);
    }

    @Override
    public long changeToken() throws SQLException {
        return 0;
    }

    @Override
    public Map<String, String> about() {
        return Map.of();
    }

    @Override
    public void lock(Duration statementLockWait) throws SQLException {}

    @Override
    public void startMigration() {}

    @Override
    public void createHistoryTable() {}

    @Override
    public void execute(SqlStatement statement) throws SQLException {}

    @Override
    public List<String> integrityViolations() {
        return List.of();
    }

    @Override
    public void insertHistory(HistoryRow row) {
        pending.add(row);
    }

    @Override
    public void upgradeHistoryTable(List<HistoryRow> rows) {}

    @Override
    public void markDeploy() {}

    @Override
    public void undoDeploy() {
        pending.clear();
    }

    @Override
    public void insertFailure(FailureRecord failure) {}

    @Override
    public List<FailureRecord> readFailures() {
        return List.of();
    }

    @Override
    public void commit() throws SQLException {
        committed.addAll(pending);
        pending.clear();
    }

    @Override
    public void close() {}
}

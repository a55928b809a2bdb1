package org.lockstep.internal.sim;

import java.sql.SQLException;
import java.util.List;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A session that passes every call to another: the base of the sessions that change a few
 * calls (the broken protocols, the exhaustive explorer's scheduling points, the defect models),
 * so that a call added to {@link Session} reaches the database through all of them.
 */
class ForwardingSession implements Session {
    /** The session every call goes to. */
    protected final Session delegate;

    ForwardingSession(Session delegate) {
        this.delegate = delegate;
    }

    @Override
    public void startMigration() throws SQLException {
        delegate.startMigration();
    }

    @Override
    public java.util.Map<String, String> about() throws SQLException {
        return delegate.about();
    }

    @Override
    public long changeToken() throws SQLException {
        return delegate.changeToken();
    }

    @Override
    public void pauseForCommit(
            java.time.Duration watch, java.time.Duration max, org.lockstep.internal.protocol.Sleeper sleeper)
            throws InterruptedException {
        delegate.pauseForCommit(watch, max, sleeper);
    }

    @Override
    public java.util.OptionalLong tokenOfLastRead() {
        return delegate.tokenOfLastRead();
    }

    @Override
    public HistorySnapshot readHistory() throws SQLException {
        return delegate.readHistory();
    }

    @Override
    public void lock(java.time.Duration statementLockWait) throws SQLException {
        delegate.lock(statementLockWait);
    }

    @Override
    public void createHistoryTable() throws SQLException {
        delegate.createHistoryTable();
    }

    @Override
    public void upgradeHistoryTable(List<HistoryRow> rows) throws SQLException {
        delegate.upgradeHistoryTable(rows);
    }

    @Override
    public void runJava(org.lockstep.JavaMigration migration, String name) throws SQLException {
        delegate.runJava(migration, name);
    }

    @Override
    public void execute(SqlStatement statement) throws SQLException {
        delegate.execute(statement);
    }

    @Override
    public List<String> integrityViolations() throws SQLException {
        return delegate.integrityViolations();
    }

    @Override
    public void insertHistory(HistoryRow row) throws SQLException {
        delegate.insertHistory(row);
    }

    @Override
    public void commit() throws SQLException {
        delegate.commit();
    }

    @Override
    public void markDeploy() throws SQLException {
        delegate.markDeploy();
    }

    @Override
    public void undoDeploy() throws SQLException {
        delegate.undoDeploy();
    }

    @Override
    public void insertFailure(org.lockstep.internal.history.FailureRecord failure) throws SQLException {
        delegate.insertFailure(failure);
    }

    @Override
    public List<org.lockstep.internal.history.FailureRecord> readFailures() throws SQLException {
        return delegate.readFailures();
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
    }

    @Override
    public List<org.lockstep.internal.history.ForeignTable> readForeignTables(List<String> names) throws SQLException {
        return delegate.readForeignTables(names);
    }

    @Override
    public void cancel() {
        delegate.cancel();
    }
}

package org.lockstep.internal.protocol;

import java.sql.SQLException;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.LockHolder;

/**
 * A database that passes every call to another: the base of the test databases that change a
 * few calls (counting opens, hiding the history's identity, the simulation's broken protocols),
 * so that a call added to {@link Database} reaches the real one through all of them.
 */
public class ForwardingDatabase implements Database {
    private final Database delegate;

    /**
     * Forwards to {@code delegate}.
     *
     * @param delegate the database every call goes to
     */
    public ForwardingDatabase(Database delegate) {
        this.delegate = delegate;
    }

    @Override
    public Session open() throws SQLException {
        return delegate.open();
    }

    @Override
    public boolean isAbsent() {
        return delegate.isAbsent();
    }

    @Override
    public boolean isBusy(SQLException error) {
        return delegate.isBusy(error);
    }

    @Override
    public boolean isDatabaseFault(SQLException error) {
        return delegate.isDatabaseFault(error);
    }

    @Override
    public boolean isConnectionLost(SQLException error) {
        return delegate.isConnectionLost(error);
    }

    @Override
    public boolean isUnreachable(SQLException error) {
        return delegate.isUnreachable(error);
    }

    @Override
    public Optional<LockHolder> lockHolder() {
        return delegate.lockHolder();
    }

    @Override
    public DatabaseException translate(SQLException error, String doing) {
        return delegate.translate(error, doing);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Optional<String> historyIdentity() {
        return delegate.historyIdentity();
    }
}

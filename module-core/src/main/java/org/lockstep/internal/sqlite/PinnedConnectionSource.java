package org.lockstep.internal.sqlite;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lockstep.internal.jdbc.ConnectionSource;

/**
 * One connection, kept open and lent to one session at a time: for a SQLite database in
 * memory, which exists only while a connection to it is open, so that every attempt of the
 * protocol sees the work of the ones before it (see {@link SqliteUrl}). The connection lives as
 * long as this source, which is as long as its {@code Migrator}.
 *
 * <p>While one call of the Migrator has the connection, another call's open fails at once
 * with SQLite's busy code, which the protocol retries within its lock timeout: to the
 * protocol, the lent connection is a lock held elsewhere, which is what it is.
 */
final class PinnedConnectionSource implements ConnectionSource {
    private final ConnectionSource source;
    private final Semaphore free = new Semaphore(1);
    private Connection pinned; // guarded by free

    PinnedConnectionSource(ConnectionSource source) {
        this.source = source;
    }

    @Override
    public Connection open() throws SQLException {
        if (!free.tryAcquire()) {
            throw new SQLException(
                    "In-memory database [" + describe() + "] is in use by another call of this" + " Migrator",
                    "",
                    SqliteDatabase.SQLITE_BUSY);
        }
        try {
            if (pinned == null || pinned.isClosed()) {
                pinned = source.open();
            }
            return lend(pinned);
        } catch (SQLException | RuntimeException e) {
            free.release();
            throw e;
        }
    }

    @Override
    public String describe() {
        return source.describe();
    }

    @Override
    public Optional<String> url() {
        return source.url();
    }

    // A view of the connection whose close() gives it back instead of closing it.
    private Connection lend(Connection connection) {
        AtomicBoolean returned = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(
                PinnedConnectionSource.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (returned.compareAndSet(false, true)) {
                                free.release();
                            }
                            return null;
                        case "isClosed":
                            if (returned.get()) {
                                return true;
                            }
                            break;
                        default:
                            if (returned.get() && method.getDeclaringClass() != Object.class) {
                                throw new SQLException("Connection used after it was closed");
                            }
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

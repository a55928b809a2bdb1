package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;

/**
 * What every database reached through JDBC shares: where connections come from, the history
 * table's name, and opening a session on a connection checked to be of the right product. A
 * dialect adds how a connection becomes a session and what its errors mean.
 */
public abstract class JdbcDatabase implements Database {
    private final ConnectionSource source;
    private final String product;
    private final HistoryName history;

    /**
     * Creates the database.
     *
     * @param source where connections come from
     * @param product the product its connections must be, as {@link java.sql.DatabaseMetaData} reports it
     * @param history where the history table is, as configured
     */
    protected JdbcDatabase(ConnectionSource source, String product, HistoryName history) {
        this.source = source;
        this.product = product;
        this.history = history;
    }

    /** Returns where the history table is, as configured. */
    protected final HistoryName history() {
        return history;
    }

    /** Returns where connections come from. */
    protected final ConnectionSource source() {
        return source;
    }

    @Override
    public final Session open() throws SQLException {
        Object before = beforeOpen();
        return Dialect.open(source, product, connection -> session(connection, before));
    }

    /**
     * Looks at what a new connection is about to open, just before it opens it; nothing by
     * default. SQLite records which file is at the database's path, to tell later whether the
     * connection reached the file that is at the path now.
     *
     * @return what was seen, or null
     */
    protected Object beforeOpen() {
        return null;
    }

    /**
     * Makes a session of a new connection, knowing what {@link #beforeOpen()} saw; by default
     * {@link #session(Connection)}.
     *
     * @param connection the connection, which the session owns from now on
     * @param beforeOpen what {@link #beforeOpen()} returned
     * @return the session
     * @throws SQLException on a database error
     */
    protected Session session(Connection connection, Object beforeOpen) throws SQLException {
        return session(connection);
    }

    /**
     * Makes a session of a new connection whose product has been checked; the connection is
     * closed if this throws.
     *
     * @param connection the connection, which the session owns from now on
     * @return the session
     * @throws SQLException on a database error
     */
    protected abstract Session session(Connection connection) throws SQLException;

    @Override
    public final String describe() {
        return source.describe();
    }

    @Override
    public final Optional<String> historyIdentity() {
        return source.identity()
                .map(database -> product
                        + '\u0000'
                        + database
                        + '\u0000'
                        + history.table()
                        + '\u0000'
                        + history.schema().orElse(""));
    }
}

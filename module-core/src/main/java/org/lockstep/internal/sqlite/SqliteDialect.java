package org.lockstep.internal.sqlite;

import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.jdbc.Dialect;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.sql.ScriptDialect;

/** SQLite: the lock is {@code BEGIN IMMEDIATE} (see this package's comment). */
public final class SqliteDialect implements Dialect {
    /** The one instance. */
    public static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String product() {
        return "SQLite";
    }

    @Override
    public boolean accepts(String url) {
        return url.startsWith(SqliteUrl.PREFIX);
    }

    @Override
    public ScriptDialect scripts() {
        return ScriptDialect.SQLITE;
    }

    /**
     * A new connection per call, except for a database in memory, which exists only while a
     * connection to it is open: it gets one connection, kept and lent ({@link PinnedConnectionSource}).
     */
    @Override
    public ConnectionSource connections(String url, String user, String password) {
        ConnectionSource source = ConnectionSource.of(url, user, password);
        return SqliteUrl.parse(url).inMemory() ? new PinnedConnectionSource(source) : source;
    }

    @Override
    public Database database(ConnectionSource source, String historyTable) {
        return new SqliteDatabase(source, historyTable);
    }
}

package org.lockstep.internal.postgres;

import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.jdbc.Dialect;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.sql.ScriptDialect;

/** PostgreSQL: the lock is a transaction-scoped advisory lock (see this package's comment). */
public final class PostgresDialect implements Dialect {
    /** The one instance. */
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String product() {
        return "PostgreSQL";
    }

    @Override
    public boolean accepts(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public ScriptDialect scripts() {
        return ScriptDialect.POSTGRESQL;
    }

    @Override
    public Database database(ConnectionSource source, String historyTable) {
        return new PostgresDatabase(source, historyTable);
    }
}

package org.lockstep.internal.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.jdbc.JdbcSession;


/**
 * One PostgreSQL connection, giving the protocol the lock, re-read and transactions this
 * package's comment describes. The connection runs with auto-commit off while Lockstep uses
 * it; its auto-commit flag is restored on close, and every setting it changes is
 * transaction-local, so a pooled connection goes back as it came.
 */
final class PostgresSession extends JdbcSession {
    /** Timestamps are {@code timestamptz}, read and written as {@link OffsetDateTime} in UTC. */
    private static final HistoryTable.Storage STORAGE = new HistoryTable.Storage("TIMESTAMPTZ", "BIGINT",
            rs -> Optional.ofNullable(rs.getObject("applied_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                    .orElse(null),
            (insert, index, at) -> insert.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)),
            (meta, appliedAt) -> meta.getColumnType(appliedAt) == Types.TIMESTAMP
                    || meta.getColumnType(appliedAt) == Types.TIMESTAMP_WITH_TIMEZONE ? null
                    : "has a column applied_at of type [" + meta.getColumnTypeName(appliedAt)
                            + "] but Lockstep expects timestamptz");

    /** How long a history read waits for a table lock before it counts as busy. */
    static final String READ_LOCK_TIMEOUT = "1s";
    /** How long a script statement of the lock holder waits for a table lock before it counts as busy. */
    static final String HOLDER_LOCK_TIMEOUT = "10s";

    private final String tableName;
    private final String schema;
    private final String database;
    private final long lockKey;
    private final boolean checksClient;
    private final boolean autoCommitWas;
    private boolean inTransaction;

    /**
     * Opens a session: finds the schema the history table is in, then owns the connection.
     *
     * @param connection a new connection
     * @param configuredTable the history table's name as configured
     * @param database the database, for messages
     * @return the session
     * @throws SQLException on a database error
     */
    static PostgresSession open(Connection connection, String configuredTable, String database)
            throws SQLException {
        // PostgreSQL folds unquoted names to lower case: a configured MyHistory is the table
        // myhistory, as it would be in any script that names it without quotes.
        String tableName = configuredTable.toLowerCase(Locale.ROOT);
        boolean autoCommitWas = connection.getAutoCommit();
        if (!autoCommitWas) {
            connection.setAutoCommit(true);
        }
        String schema;
        int serverVersion;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT current_schema(), current_setting('server_version_num')::int")) {
            rs.next();
            schema = rs.getString(1);
            serverVersion = rs.getInt(2);
        }
        if (schema == null) {
            throw new DatabaseException(DatabaseException.Reason.OTHER, "Database [" + database + "] has no current"
                    + " schema for the history table [" + tableName + "]: the search_path names no existing"
                    + " schema; set it, or currentSchema in the URL", null);
        }
        connection.setAutoCommit(false);
        return new PostgresSession(connection, tableName, schema, database, serverVersion >= 140000, autoCommitWas);
    }

    private PostgresSession(Connection connection, String tableName, String schema, String database,
            boolean checksClient, boolean autoCommitWas) {
        super(connection, new HistoryTable(quote(schema) + "." + quote(tableName), schema + "." + tableName, database,
                STORAGE));
        this.tableName = tableName;
        this.schema = schema;
        this.database = database;
        this.lockKey = lockKey(schema, tableName);
        this.checksClient = checksClient;
        this.autoCommitWas = autoCommitWas;
    }

    /** The schema of the history table, and the advisory lock key an operator can look for in pg_locks. */
    @Override
    protected void details(Map<String, String> about) {
        about.put("history schema", schema);
        about.put("advisory lock key", Long.toString(lockKey));
    }

    /**
     * The advisory lock key of a history table: the first 8 bytes, big-endian, of the SHA-256
     * of {@code lockstep:<schema>.<table>} (UTF-8), as a signed bigint. Stable across
     * processes, hosts and versions of Lockstep; an operator can hold or look for the same lock.
     */
    static long lockKey(String schema, String table) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("lockstep:" + schema + "." + table).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public HistorySnapshot readHistory() throws SQLException {
        if (inTransaction) {
            return readRows();
        }
        // One read-only snapshot, so the existence check and the rows agree; no lock.
        try {
            run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            run("SET LOCAL lock_timeout = '" + READ_LOCK_TIMEOUT + "'");
            HistorySnapshot snapshot = readRows();
            connection.commit();
            return snapshot;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private HistorySnapshot readRows() throws SQLException {
        boolean exists = false;
        boolean others = false;
        try (PreparedStatement tables = connection.prepareStatement("SELECT c.relname, c.relkind"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')")) {
            tables.setString(1, schema);
            try (ResultSet rs = tables.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(tableName)) {
                        exists = true;
                    } else {
                        others = true;
                    }
                }
            }
        }
        if (!exists) {
            return new HistorySnapshot(false, List.of(), others);
        }
        return new HistorySnapshot(true, history().readRows(connection), others);
    }

    /**
     * Starts a READ COMMITTED transaction and takes the advisory lock at once, or rolls back
     * and reports {@code 55P03} if another session holds it (see the comment at the top).
     */
    @Override
    public void lock() throws SQLException {
        run("SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE");
        boolean locked;
        try (PreparedStatement lock = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)"
                + (checksClient ? ", set_config('client_connection_check_interval', '1s', true)" : "")
                + ", pg_try_advisory_xact_lock(?)")) {
            lock.setString(1, HOLDER_LOCK_TIMEOUT);
            lock.setLong(2, lockKey);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                locked = rs.getBoolean(checksClient ? 3 : 2);
            }
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw e;
        }
        if (!locked) {
            connection.rollback();
            throw new SQLException("Migration lock of history table [" + schema + "." + tableName
                    + "] (advisory lock " + lockKey + ") is held by another session", PostgresDatabase.LOCK_NOT_AVAILABLE);
        }
        inTransaction = true;
    }


    /**
     * Commits. A failed COMMIT has ended the transaction on PostgreSQL, so its error must not
     * read as busy (which the protocol answers by retrying the commit): it is reported as the
     * transaction rollback it is.
     */
    @Override
    public void commit() throws SQLException {
        try {
            connection.commit();
        } catch (SQLException e) {
            if (PostgresDatabase.BUSY.contains(PostgresDatabase.state(e))) {
                throw new SQLException("The commit failed and the transaction was rolled back: " + e.getMessage(),
                        "40000", e);
            }
            throw e;
        } finally {
            inTransaction = false;
        }
    }

    @Override
    public void close() throws SQLException {
        inTransaction = false;
        try {
            connection.rollback();
            connection.setAutoCommit(autoCommitWas);
        } catch (SQLException e) {
            // A broken connection: the server rolls back and releases the lock when it goes.
        } finally {
            connection.close();
        }
    }

    private void rollbackQuietly(SQLException failure) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

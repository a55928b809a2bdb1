package org.lockstep.internal.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.protocol.HistoryRow;
import org.lockstep.internal.protocol.HistorySnapshot;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/*
 * The protocol's lock on PostgreSQL (see MigrationProtocol for the protocol itself).
 *
 * The lock is a transaction-scoped advisory lock, pg_try_advisory_xact_lock(key), taken as
 * the first act of the transaction that applies the scripts and writes their history rows
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS). PostgreSQL
 * releases it at COMMIT or ROLLBACK and when the session ends for any reason, including a
 * client killed with SIGKILL (the server sees the socket close) and a backend that is
 * terminated: there is no lock table and nothing stale to clean up. The key is derived from
 * the schema-qualified history table, so two applications sharing a database but not a
 * history table do not serialise each other, and every worker of one application, whatever
 * its search_path, meets on the same key.
 *
 * Why try-lock and not pg_advisory_xact_lock, which would wait: the wait would have to be
 * bounded by lock_timeout, cannot be interrupted from Java, and a queue of 20 waiters each
 * holding a transaction open is what the protocol's "a loser leaves as soon as the work is
 * done, without queueing for the lock" avoids. A failed try rolls back and reports 55P03
 * lock_not_available, which PostgresDatabase classifies as busy, so the protocol closes the
 * connection and retries with its bounded, jittered backoff, exactly as on SQLite.
 *
 * Why READ COMMITTED for the locked transaction: each statement then takes a new snapshot
 * after the lock is held, so the protocol's re-read of the history under the lock sees every
 * commit of the previous holder (its commit is visible before its locks are released). Under
 * REPEATABLE READ or SERIALIZABLE the snapshot would be taken by the first statement, the
 * try-lock itself, possibly before the previous holder committed: the stale read that
 * applies a migration twice. The isolation level is set explicitly for that reason, whatever
 * default_transaction_isolation says.
 *
 * PostgreSQL has transactional DDL, so the history table's CREATE, every script and every
 * history row commit or roll back together. Constraints are checked as the statements run
 * (or at COMMIT when deferred), so there is nothing for integrityViolations() to add.
 *
 * Timeouts, all SET LOCAL so a pooled connection goes back unchanged: lock_timeout bounds a
 * read of the history (it could only wait behind an ACCESS EXCLUSIVE lock on the table) and,
 * more generously, a script statement that waits for a table lock the application holds;
 * either ends in 55P03, which is retried like a busy lock. statement_timeout is left as the
 * server and role set it: a long backfill is legitimate. client_connection_check_interval
 * (PostgreSQL 14+) makes the server notice a killed client within a second even while a
 * long statement runs, so the lock does not outlive its holder by the statement's length.
 */

/**
 * One PostgreSQL connection. The connection runs with auto-commit off while Lockstep uses
 * it; its auto-commit flag is restored on close, and every setting it changes is
 * transaction-local, so a pooled connection goes back as it came.
 */
final class PostgresSession implements Session {
    /** The columns of the history table, in order. */
    static final List<String> COLUMNS = SqliteSession.COLUMNS;

    /** How long a history read waits for a table lock before it counts as busy. */
    static final String READ_LOCK_TIMEOUT = "1s";
    /** How long a script statement of the lock holder waits for a table lock before it counts as busy. */
    static final String HOLDER_LOCK_TIMEOUT = "10s";

    private final Connection connection;
    private final String tableName;
    private final String schema;
    private final String qualified;
    private final String database;
    private final long lockKey;
    private final boolean checksClient;
    private final boolean autoCommitWas;
    private boolean inTransaction;

    PostgresSession(Connection connection, String tableName, String database) throws SQLException {
        this.connection = connection;
        // PostgreSQL folds unquoted names to lower case: a configured MyHistory is the table
        // myhistory, as it would be in any script that names it without quotes.
        this.tableName = tableName.toLowerCase(Locale.ROOT);
        this.database = database;
        this.autoCommitWas = connection.getAutoCommit();
        if (!autoCommitWas) {
            connection.setAutoCommit(true);
        }
        String currentSchema;
        int serverVersion;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT current_schema(), current_setting('server_version_num')::int")) {
            rs.next();
            currentSchema = rs.getString(1);
            serverVersion = rs.getInt(2);
        }
        if (currentSchema == null) {
            throw new DatabaseException(DatabaseException.Reason.OTHER, "Database [" + database + "] has no current"
                    + " schema for the history table [" + tableName + "]: the search_path names no existing"
                    + " schema; set it, or currentSchema in the URL", null);
        }
        connection.setAutoCommit(false);
        this.schema = currentSchema;
        this.qualified = quote(schema) + "." + quote(tableName);
        this.lockKey = lockKey(schema, tableName);
        this.checksClient = serverVersion >= 140000;
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
        List<HistoryRow> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + qualified)) {
            checkShape(rs.getMetaData());
            while (rs.next()) {
                rows.add(row(rs));
            }
        }
        return new HistorySnapshot(true, rows, others);
    }

    private void checkShape(ResultSetMetaData meta) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            found.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
        }
        if (!found.equals(new LinkedHashSet<>(COLUMNS))) {
            throw shape("has columns " + found + " but Lockstep expects " + COLUMNS
                    + "; it was not changed. Use another table name, or rename the existing table", null);
        }
        int appliedAt = meta.getColumnType(found.stream().toList().indexOf("applied_at") + 1);
        if (appliedAt != java.sql.Types.TIMESTAMP && appliedAt != java.sql.Types.TIMESTAMP_WITH_TIMEZONE) {
            throw shape("has a column applied_at of type [" + meta.getColumnTypeName(
                    found.stream().toList().indexOf("applied_at") + 1) + "] but Lockstep expects timestamptz", null);
        }
    }

    private HistoryRow row(ResultSet rs) throws SQLException {
        String version = rs.getString("version");
        try {
            OffsetDateTime appliedAt = rs.getObject("applied_at", OffsetDateTime.class);
            return new HistoryRow(MigrationVersion.parse(version), rs.getString("description"),
                    rs.getString("script"), rs.getString("checksum"), appliedAt.toInstant(),
                    rs.getString("applied_by"), rs.getLong("execution_ms"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw shape("has a row Lockstep cannot read (version [" + version + "]): " + e, e);
        }
    }

    private DatabaseException shape(String problem, Throwable cause) {
        return new DatabaseException(DatabaseException.Reason.HISTORY_TABLE_SHAPE, "History table [" + schema + "."
                + tableName + "] in [" + database + "] " + problem, cause);
    }

    /**
     * Starts a READ COMMITTED transaction and takes the advisory lock at once, or rolls back
     * and reports {@code 55P03} if another session holds it (see the comment at the top).
     */
    @Override
    public void beginImmediate() throws SQLException {
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

    /** PostgreSQL enforces constraints as statements run, or at COMMIT when deferred: nothing to add. */
    @Override
    public List<String> integrityViolations() {
        return List.of();
    }

    @Override
    public void createHistoryTable() throws SQLException {
        run("CREATE TABLE IF NOT EXISTS " + qualified + " ("
                + "version TEXT NOT NULL PRIMARY KEY, "
                + "description TEXT NOT NULL, "
                + "script TEXT NOT NULL, "
                + "checksum TEXT NOT NULL, "
                + "applied_at TIMESTAMPTZ NOT NULL, "
                + "applied_by TEXT NOT NULL, "
                + "execution_ms BIGINT NOT NULL)");
    }

    @Override
    public void execute(SqlStatement statement) throws SQLException {
        run(statement.sql());
    }

    @Override
    public void insertHistory(HistoryRow row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + qualified
                + " (version, description, script, checksum, applied_at, applied_by, execution_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, row.version().toString());
            insert.setString(2, row.description());
            insert.setString(3, row.script());
            insert.setString(4, row.checksum());
            insert.setObject(5, OffsetDateTime.ofInstant(row.appliedAt(), ZoneOffset.UTC));
            insert.setString(6, row.appliedBy());
            insert.setLong(7, row.executionMillis());
            insert.executeUpdate();
        }
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

    // Scripts' text goes to the server as written: no JDBC escape processing of {fn ...}.
    private void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

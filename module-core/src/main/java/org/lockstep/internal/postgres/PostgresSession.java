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
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.lockstep.DatabaseException;
import org.lockstep.LockHolder;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.FailureTable;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.jdbc.JdbcSession;
import org.lockstep.internal.protocol.StatementLockTimeoutException;

/**
 * One PostgreSQL connection, giving the protocol the lock, re-read and transactions this
 * package's comment describes. The connection runs with auto-commit off while Lockstep uses
 * it; its auto-commit flag is restored on close, and every setting it changes is
 * transaction-local, so a pooled connection goes back as it came.
 */
final class PostgresSession extends JdbcSession {
    /** Timestamps are {@code timestamptz}, read and written as {@link OffsetDateTime} in UTC. */
    private static final HistoryTable.Storage STORAGE = new HistoryTable.Storage(
            "TIMESTAMPTZ",
            "BIGINT",
            rs -> Optional.ofNullable(rs.getObject("applied_at", OffsetDateTime.class))
                    .map(OffsetDateTime::toInstant)
                    .orElse(null),
            (insert, index, at) -> insert.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)),
            (meta, appliedAt) -> meta.getColumnType(appliedAt) == Types.TIMESTAMP
                            || meta.getColumnType(appliedAt) == Types.TIMESTAMP_WITH_TIMEZONE
                    ? null
                    : "has a column applied_at of type [" + meta.getColumnTypeName(appliedAt)
                            + "] but Lockstep expects timestamptz",
            HistoryAlter::run);

    /** How long a history read waits for a table lock before it counts as busy. */
    static final String READ_LOCK_TIMEOUT = "1s";
    /**
     * The longest one statement of the lock holder waits for a table lock. While it waits, its
     * ACCESS EXCLUSIVE request queues every later query of the application on that table
     * behind it, so the wait is cut short and the deploy retried (within the lock timeout), and
     * the application's queries run in between.
     */
    static final Duration STATEMENT_LOCK_WAIT = Duration.ofSeconds(2);

    /** Settings the holder sets for its own transaction, apart from what a script may set. */
    private static final Set<String> OWN_SETTINGS = Set.of("lock_timeout", "client_connection_check_interval");

    private final String tableName;
    private FailureTable failures;
    private final String failuresName;
    private String schema;
    private final boolean schemaFromPath;
    private final String database;
    private long lockKey;
    private final boolean checksClient;
    private final boolean autoCommitWas;
    private boolean inTransaction;
    private Duration statementLockWait = STATEMENT_LOCK_WAIT;
    private Map<String, String> settingsAtStart;
    private int migrations;

    /**
     * Opens a session: finds the schema the history table is in, then owns the connection.
     *
     * @param connection a new connection
     * @param configuredTable the history table's name as configured
     * @param database the database, for messages
     * @return the session
     * @throws SQLException on a database error
     */
    static PostgresSession open(Connection connection, HistoryName configured, String database, Consumer<String> warn)
            throws SQLException {
        // PostgreSQL folds unquoted names to lower case: a configured MyHistory is the table
        // myhistory, as it would be in any script that names it without quotes.
        String tableName = configured.table().toLowerCase(Locale.ROOT);
        boolean autoCommitWas = connection.getAutoCommit();
        if (!autoCommitWas) {
            connection.setAutoCommit(true);
        }
        Place place = Place.of(connection, tableName);
        String schema;
        if (configured.schema().isPresent()) {
            schema = configured.schema().get().toLowerCase(Locale.ROOT);
        } else {
            schema = place.historySchema(tableName, database);
            if (place.found().size() > 1) {
                warn.accept("History tables "
                        + place.found().stream().map(s -> s + "." + tableName).toList() + " of ["
                        + database + "] are all on the search_path; Lockstep uses the first, [" + schema + "."
                        + tableName + "]. Give the history's schema explicitly to say which is meant");
            }
        }
        connection.setAutoCommit(false);
        return new PostgresSession(
                connection,
                tableName,
                schema,
                configured.schema().isEmpty(),
                database,
                place.serverVersion() >= 140000,
                autoCommitWas);
    }

    /**
     * Where an unqualified history table is: the first schema on the search path that holds a
     * table of that name, as PostgreSQL resolves an unqualified name, else the current schema.
     * current_schema() alone would move it when a schema named after the role appears, or when
     * a script changes the path: a second, empty history, and every migration applied again.
     *
     * <p>One statement, but not one snapshot: the search path's schemas are looked up in the
     * catalog as it is now, the tables in the statement's snapshot. A commit that lands
     * between the two (a first deploy that created the history and a schema named earlier on
     * the path) reads as a path whose first schema exists and holds no history, so the answer
     * is checked again under the migration lock, see {@link #confirmPlace}.
     */
    private record Place(String currentSchema, List<String> found, int serverVersion) {
        static Place of(Connection connection, String tableName) throws SQLException {
            try (PreparedStatement where = connection.prepareStatement("SELECT current_schema(),"
                    + " current_setting('server_version_num')::int, ARRAY(SELECT s.name"
                    + " FROM unnest(current_schemas(false)) WITH ORDINALITY AS s(name, position)"
                    + " JOIN pg_catalog.pg_namespace n ON n.nspname = s.name"
                    + " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = ?"
                    + " AND c.relkind IN ('r', 'p') ORDER BY s.position)")) {
                where.setString(1, tableName);
                try (ResultSet rs = where.executeQuery()) {
                    rs.next();
                    return new Place(
                            rs.getString(1), List.of((String[]) rs.getArray(3).getArray()), rs.getInt(2));
                }
            }
        }

        String historySchema(String tableName, String database) {
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (currentSchema != null) {
                return currentSchema;
            }
            throw new DatabaseException(
                    DatabaseException.Reason.OTHER,
                    "Database [" + database + "] has no current"
                            + " schema for the history table [" + tableName + "]: the search_path names no existing"
                            + " schema; set it, currentSchema in the URL, or the history's schema",
                    null);
        }
    }

    private PostgresSession(
            Connection connection,
            String tableName,
            String schema,
            boolean schemaFromPath,
            String database,
            boolean checksClient,
            boolean autoCommitWas) {
        super(connection, historyTable(schema, tableName, database));
        this.tableName = tableName;
        this.failuresName = tableName + FailureTable.SUFFIX;
        this.schemaFromPath = schemaFromPath;
        this.database = database;
        place(schema);
        this.checksClient = checksClient;
        this.autoCommitWas = autoCommitWas;
    }

    private static HistoryTable historyTable(String schema, String tableName, String database) {
        return new HistoryTable(
                quote(schema) + "." + quote(tableName), tableName, schema + "." + tableName, database, STORAGE);
    }

    // The history, failure table and lock key of this schema.
    private void place(String schema) {
        this.schema = schema;
        this.failures =
                new FailureTable(quote(schema) + "." + quote(failuresName), schema + "." + failuresName, STORAGE);
        this.lockKey = lockKey(schema, tableName);
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
                    } else if (!rs.getString(1).equals(failuresName)) {
                        others = true;
                    }
                }
            }
        }
        if (!exists) {
            return new HistorySnapshot(false, List.of(), others);
        }
        return readExisting(others);
    }

    @Override
    protected FailureTable failureTable() {
        return failures;
    }

    @Override
    protected boolean failureTableExists() throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            exists.setString(1, schema);
            exists.setString(2, failuresName);
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public List<FailureRecord> readFailures() throws SQLException {
        if (inTransaction) {
            return failureRows();
        }
        try {
            run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            run("SET LOCAL lock_timeout = '" + READ_LOCK_TIMEOUT + "'");
            List<FailureRecord> rows = failureRows();
            connection.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /**
     * The backend that holds the advisory lock of this history table, with its client and what
     * its session is doing, from {@code pg_locks} and {@code pg_stat_activity}; empty if the lock
     * is free or the server does not let this user see it.
     *
     * @return the holder
     * @throws SQLException on a database error
     */
    Optional<LockHolder> lockHolder() throws SQLException {
        // An advisory lock on a bigint key: classid is its high half, objid its low half, objsubid 1.
        try (PreparedStatement holder = connection.prepareStatement("SELECT l.pid,"
                + " coalesce(host(a.client_addr) || ':' || a.client_port, 'local socket'),"
                + " coalesce(a.application_name, ''), coalesce(a.state, ''),"
                + " coalesce(extract(epoch FROM now() - a.state_change)::bigint, 0)"
                + " FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                + " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
                + " AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid")) {
            holder.setLong(1, lockKey >>> 32);
            holder.setLong(2, lockKey & 0xffffffffL);
            try (ResultSet rs = holder.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String application = rs.getString(3);
                String state = rs.getString(4);
                return Optional.of(new LockHolder(
                        rs.getLong(1),
                        "PostgreSQL backend for client " + rs.getString(2)
                                + (application.isEmpty() ? "" : " (application [" + application + "])"),
                        state.isEmpty() ? "" : state + " for [" + rs.getLong(5) + " s]"));
            }
        } finally {
            connection.rollback();
        }
    }

    /**
     * Another tool's table is looked for in the history's schema first, then as PostgreSQL
     * resolves the unqualified name on the search path: where the tool, connecting as the
     * application does, created it.
     */
    @Override
    protected Optional<Located> locateForeignTable(String name) throws SQLException {
        String table = name.toLowerCase(Locale.ROOT);
        try (PreparedStatement find = connection.prepareStatement("SELECT n.nspname, c.relname"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND ((n.nspname = ? AND c.relname = ?) OR c.oid = to_regclass(?))"
                + " ORDER BY n.nspname = ? DESC LIMIT 1")) {
            find.setString(1, schema);
            find.setString(2, table);
            find.setString(3, quote(table));
            find.setString(4, schema);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(new Located(
                            quote(rs.getString(1)) + "." + quote(rs.getString(2)),
                            rs.getString(1) + "." + rs.getString(2)));
                }
            }
        }
        return Optional.empty();
    }

    /** Timestamps as {@link OffsetDateTime} where the column stores the zone, {@link LocalDateTime} where not. */
    @Override
    protected Object foreignValue(ResultSet rs, int column, String typeName) throws SQLException {
        if ("timestamptz".equalsIgnoreCase(typeName)) {
            return rs.getObject(column, OffsetDateTime.class);
        }
        if ("timestamp".equalsIgnoreCase(typeName)) {
            return rs.getObject(column, LocalDateTime.class);
        }
        return rs.getObject(column);
    }

    /** The session's {@code TimeZone}, in which {@code now()} was stored into a column without a zone. */
    @Override
    protected ZoneId foreignZone() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('TimeZone')")) {
            rs.next();
            try {
                return ZoneId.of(rs.getString(1));
            } catch (java.time.DateTimeException e) {
                return ZoneOffset.UTC;
            }
        }
    }

    /**
     * Starts a READ COMMITTED transaction and takes the advisory lock at once, or rolls back
     * and reports {@code 55P03} if another session holds it (see this package's comment). The
     * transaction is not made READ WRITE: a database an operator made read-only
     * ({@code default_transaction_read_only}, a standby) is refused, not overridden.
     */
    @Override
    public void lock(Duration statementLockWait) throws SQLException {
        this.statementLockWait = statementLockWait.compareTo(STATEMENT_LOCK_WAIT) < 0
                ? (statementLockWait.toMillis() < 1 ? Duration.ofMillis(1) : statementLockWait)
                : STATEMENT_LOCK_WAIT;
        run("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        boolean locked;
        boolean readOnly;
        try {
            settingsAtStart = settings();
            migrations = 0;
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_try_advisory_xact_lock(?)," + " current_setting('transaction_read_only') = 'on'")) {
                lock.setLong(1, lockKey);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                    readOnly = rs.getBoolean(2);
                }
            }
            if (locked && !readOnly) {
                setOwnSettings();
                confirmPlace();
            }
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw e;
        }
        if (readOnly) {
            connection.rollback();
            throw new DatabaseException(
                    DatabaseException.Reason.READ_ONLY,
                    "Database [" + database + "] is read-only"
                            + " (default_transaction_read_only is on, or it is a standby): nothing can be migrated; the"
                            + " operator's setting is respected, not overridden",
                    null);
        }
        if (!locked) {
            connection.rollback();
            throw new SQLException(
                    "Migration lock of history table [" + schema + "." + tableName + "] (advisory lock " + lockKey
                            + ") is held by another session",
                    PostgresDatabase.LOCK_NOT_AVAILABLE);
        }
        inTransaction = true;
    }

    /**
     * Under the lock, finds the history's schema again. No deploy of this history can commit
     * now, so the answer is settled; it differs from the one this session found when it
     * opened if a first deploy committed while that lookup ran (see {@link Place}), or if the
     * search path's schemas changed while this session waited. Then this session moves to the
     * history where it is and takes that history's lock too (the one it holds is nobody's:
     * harmless, and released with the transaction); if that lock is held, the attempt is busy.
     */
    private void confirmPlace() throws SQLException {
        if (!schemaFromPath) {
            return;
        }
        String now = Place.of(connection, tableName).historySchema(tableName, database);
        if (now.equals(schema)) {
            return;
        }
        String was = schema;
        place(now);
        moveHistory(historyTable(now, tableName, database));
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new SQLException(
                            "Migration lock of history table [" + schema + "." + tableName + "] (advisory lock "
                                    + lockKey + ") is held by another session; this connection had found the history"
                                    + " as [" + was + "." + tableName + "] before a deploy committed",
                            PostgresDatabase.LOCK_NOT_AVAILABLE);
                }
            }
        }
    }

    // Transaction-local, so a pooled connection goes back unchanged.
    private void setOwnSettings() throws SQLException {
        try (PreparedStatement own = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)"
                + (checksClient ? ", set_config('client_connection_check_interval', '1s', true)" : ""))) {
            own.setString(1, statementLockWait.toMillis() + "ms");
            own.executeQuery().close();
        }
    }

    /**
     * Puts back every setting a script of this transaction changed ({@code SET search_path},
     * a pg_dump-style {@code set_config('search_path', '', false)}) as it was when the
     * transaction began, so the next migration starts where a migration of its own
     * transaction would.
     */
    @Override
    public void startMigration() throws SQLException {
        if (++migrations > 1) {
            restoreSettings(false);
            setOwnSettings();
        }
    }

    // Within the deploy, Lockstep's own transaction-local settings stay as it set them; once the
    // transaction is over they are gone, and a script's session-level SET of one of them
    // (SET lock_timeout = 0) is put back like any other.
    private void restoreSettings(boolean own) throws SQLException {
        Map<String, String> now = settings();
        for (Map.Entry<String, String> setting : settingsAtStart.entrySet()) {
            String name = setting.getKey();
            if ((own || !OWN_SETTINGS.contains(name)) && !setting.getValue().equals(now.get(name))) {
                try (PreparedStatement restore = connection.prepareStatement("SELECT set_config(?, ?, false)")) {
                    restore.setString(1, name);
                    restore.setString(2, setting.getValue());
                    restore.executeQuery().close();
                }
            }
        }
    }

    // Every setting a session may change for itself, by its current value.
    private Map<String, String> settings() throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT name, setting FROM pg_catalog.pg_settings"
                        + " WHERE context IN ('user', 'superuser') AND name NOT LIKE 'transaction\\_%'")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        return values;
    }

    /**
     * A statement that failed with {@code 55P03} after waiting about as long as this
     * transaction's {@code lock_timeout} waited for a lock another session holds: a wait, which
     * the protocol retries. A {@code 55P03} that came at once ({@code LOCK TABLE ... NOWAIT},
     * a script raising {@code lock_not_available}) is the script's own failure.
     */
    @Override
    protected SQLException statementFailed(SQLException error, Duration ran) {
        if (PostgresDatabase.LOCK_NOT_AVAILABLE.equals(PostgresDatabase.state(error))
                && ran.toMillis() * 10 >= statementLockWait.toMillis() * 9) {
            return new StatementLockTimeoutException(
                    "it waited [" + ran.toMillis() + " ms] for a table lock, the" + " longest one statement may wait ("
                            + error.getMessage() + ")",
                    error);
        }
        return error;
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
                throw new SQLException(
                        "The commit failed and the transaction was rolled back: " + e.getMessage(), "40000", e);
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
            if (migrations > 0) {
                restoreSettings(true); // a script's session-level SET outlives its commit: put it back
                connection.commit();
            }
            connection.setAutoCommit(autoCommitWas);
        } catch (SQLException e) {
            // A broken connection: the server rolls back and releases the lock when it goes.
        } finally {
            connection.close();
        }
    }

    private void rollbackQuietly(Exception failure) {
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

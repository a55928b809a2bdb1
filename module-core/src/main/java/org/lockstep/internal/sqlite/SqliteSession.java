package org.lockstep.internal.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.FailureTable;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.jdbc.JdbcSession;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.protocol.Sleeper;
import org.lockstep.internal.sql.SqlStatement;

/**
 * One SQLite connection. Transactions are driven with SQL ({@code BEGIN IMMEDIATE},
 * {@code COMMIT}, {@code ROLLBACK}) on a connection in auto-commit mode, which is what
 * SQLite itself sees; the connection's auto-commit flag, busy timeout and foreign-key setting
 * are restored on close, so a pooled connection goes back as it came.
 */
final class SqliteSession extends JdbcSession {
    /** Timestamps are ISO-8601 text, which sorts as time and reads in the {@code sqlite3} shell. */
    private static final HistoryTable.Storage STORAGE = new HistoryTable.Storage(
            "TEXT",
            "INTEGER",
            rs -> rs.getString("applied_at") == null ? null : instant(rs.getString("applied_at")),
            (insert, index, at) -> insert.setString(index, at.toString()),
            HistoryTable.Storage.ANY_TYPE,
            HistoryRebuild::run);

    /**
     * Reads a timestamp as {@link Instant#parse} does. The form Lockstep writes
     * ({@code 2026-11-30T15:54:55.123456Z}, {@link Instant#toString}) is read by hand: the first
     * history read of a process is often the one a waiter makes just after the holder's commit,
     * and initialising {@link java.time.format.DateTimeFormatter} there cost it about 6 ms.
     * Anything else goes to {@link Instant#parse}.
     *
     * @param text the stored text
     * @return the instant
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 20
                || length > 30
                || length == 21
                || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || (length > 20 && text.charAt(19) != '.')) {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            nanos = digits(text, 20, length - 1);
            for (int place = length - 1 - 20; place < 9; place++) {
                nanos *= 10;
            }
        }
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || nanos < 0
                || day > daysIn(year, month)) {
            return Instant.parse(text); // its error, or a leap second it accepts
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    // By hand: YearMonth's class initialiser builds a DateTimeFormatter, the cost avoided above.
    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    // The decimal number in text[from, to), or -1 if a character is not a digit.
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private final String tableName;
    /** The per-connection settings a script can change that last beyond its statement. */
    private static final List<String> SESSION_PRAGMAS = List.of(
            "recursive_triggers",
            "defer_foreign_keys",
            "legacy_alter_table",
            "reverse_unordered_selects",
            "query_only",
            "automatic_index",
            "trusted_schema");

    private final FailureTable failures;
    private final String failuresName;
    private final String database;
    // The database file this connection opened, and its identity then (device and inode on
    // Unix), to tell when the file at that path is deleted or replaced.
    private final Path file;
    private final Object fileKey;
    // Deleted, or replaced, while the connection was being opened: which file it reached is unknown.
    private final boolean changedAtOpen;
    private final ForeignKeyCheck foreignKeys;
    private static final String PRAGMA = "PRAGMA";

    private Map<String, String> pragmasAtStart = Map.of();
    // Whether a statement or Java migration since the settings were last read back may have
    // changed one: reading them costs a query per migration, which a deploy without a PRAGMA
    // does not need.
    private boolean settingsMayHaveChanged;
    private int migrations;
    private final boolean autoCommitWas;
    private int busyTimeoutWas = -1;
    // The busy timeout this session last set, or -1; a migration may set another.
    private int busyTimeoutNow = -1;
    // PRAGMA data_version, prepared on the first read of the change token; the connection closes it.
    private PreparedStatement dataVersion;
    private OptionalLong tokenOfLastRead = OptionalLong.empty();
    // The wait for a change to the database's files, made on the first wait; null if there is none.
    private CommitWatch commitWatch;
    private boolean commitWatchTried;
    private boolean foreignKeysRead;
    private boolean foreignKeysWereOn;
    private boolean inTransaction;
    private boolean historyWriteCounted;

    /**
     * Creates the session.
     *
     * @param beforeOpen the identity of the file at the path just before the connection opened
     *     it, or null if unknown (or there was none): a file that changed meanwhile is refused
     */
    SqliteSession(Connection connection, String tableName, String database, Object beforeOpen) throws SQLException {
        super(connection, new HistoryTable(ForeignKeyCheck.quote(tableName), tableName, tableName, database, STORAGE));
        this.tableName = tableName;
        this.database = database;
        this.failuresName = tableName + FailureTable.SUFFIX;
        this.failures = new FailureTable(ForeignKeyCheck.quote(failuresName), failuresName, STORAGE);
        this.file = mainFile(connection);
        this.fileKey = file == null ? null : fileKey(file);
        this.changedAtOpen = file != null
                && ((fileKey == null && !Files.exists(file)) || (beforeOpen != null && !beforeOpen.equals(fileKey)));
        this.foreignKeys = new ForeignKeyCheck(connection);
        this.autoCommitWas = connection.getAutoCommit();
        if (!autoCommitWas) {
            connection.setAutoCommit(true);
        }
    }

    // The main database's file, or null for one in memory or a temporary one.
    private static Path mainFile(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                String name = rs.getString(3);
                if ("main".equals(rs.getString(2)) && name != null && !name.isEmpty()) {
                    return Path.of(name);
                }
            }
        }
        return null;
    }

    /** The file's identity (device and inode on Unix), or null if it has none or is not there. */
    static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The database file this session opened, if it is a file. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Refuses to go on if the file at the database's path is no longer the one this connection
     * opened: deleted, or replaced by another (a restore, a {@code mv} over it). The connection
     * still reaches the old file, whose writes would be lost with it, and whose lock no longer
     * keeps out workers that open the new one.
     */
    private void requireSameFile() {
        if (fileKey == null && !changedAtOpen) {
            return; // not a file, or a file system without identities
        }
        Object now = Files.exists(file) ? fileKey(file) : null;
        if (changedAtOpen || now == null || !now.equals(fileKey)) {
            throw new DatabaseException(
                    DatabaseException.Reason.DATABASE_REPLACED,
                    "Database [" + database + "] was " + (now == null ? "deleted" : "replaced by another file")
                            + " while this worker had it open (waiting for the lock): the file at [" + file
                            + "] is no longer the one it opened. This worker changed nothing; run migrate again to"
                            + " migrate the database now at that path",
                    null);
        }
    }

    @Override
    protected FailureTable failureTable() {
        return failures;
    }

    @Override
    protected boolean failureTableExists() throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            exists.setString(1, failuresName);
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
        setBusyTimeout(0);
        run("BEGIN DEFERRED");
        List<FailureRecord> rows;
        try {
            rows = failureRows();
        } catch (SQLException | RuntimeException e) {
            try {
                run("ROLLBACK");
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        run("COMMIT");
        return rows;
    }

    @Override
    public HistorySnapshot readHistory() throws SQLException {
        if (inTransaction) {
            return readRows();
        }
        setBusyTimeout(0);
        // One read transaction, so the existence check and the rows come from one snapshot.
        // It only reads, so it never needs to upgrade to a write lock.
        run("BEGIN DEFERRED");
        HistorySnapshot snapshot;
        try {
            snapshot = readRows();
        } catch (SQLException | RuntimeException e) {
            try {
                run("ROLLBACK");
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        run("COMMIT");
        return snapshot;
    }

    private HistorySnapshot readRows() throws SQLException {
        boolean exists = false;
        boolean others = false;
        // The change token comes with the table list, from the same snapshot, at no extra
        // statement: a waiter compares against it. One row with no name if there is no table
        // yet, so a first deploy's waiters have a token too (as the simulation's do).
        OptionalLong token = OptionalLong.empty();
        try (PreparedStatement tables = connection.prepareStatement(
                        "SELECT (SELECT data_version FROM pragma_data_version), m.name FROM (SELECT 1)"
                                + " LEFT JOIN sqlite_master m ON m.type = 'table'"
                                + " AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
                ResultSet rs = tables.executeQuery()) {
            while (rs.next()) {
                token = OptionalLong.of(rs.getLong(1));
                String name = rs.getString(2);
                if (name == null) {
                    continue;
                }
                // SQLite resolves names without regard to ASCII case, quoted or not
                // (https://www.sqlite.org/lang_keywords.html): so must the lookup.
                if (name.equalsIgnoreCase(tableName)) {
                    exists = true;
                } else if (!name.equalsIgnoreCase(failuresName)) {
                    others = true;
                }
            }
        }
        if (!inTransaction) {
            tokenOfLastRead = token;
        }
        return exists ? readExisting(others) : new HistorySnapshot(false, List.of(), others);
    }

    // SQLite resolves a name whatever its ASCII case, as the history lookup does.
    @Override
    protected Optional<Located> locateForeignTable(String name) throws SQLException {
        try (PreparedStatement tables = connection.prepareStatement(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(?)"); ) {
            tables.setString(1, name);
            try (ResultSet rs = tables.executeQuery()) {
                if (rs.next()) {
                    String found = rs.getString(1);
                    return Optional.of(new Located(ForeignKeyCheck.quote(found), found));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Takes the write lock with {@code BEGIN IMMEDIATE}. Foreign-key enforcement is switched
     * off first, because a script that rebuilds a table (create new, copy, drop old, rename:
     * the only way to add a constraint in SQLite) would otherwise cascade-delete the child
     * rows of the dropped parent; and {@code PRAGMA foreign_keys} is a no-op inside a
     * transaction, so it must change before BEGIN (https://www.sqlite.org/foreignkeys.html,
     * section 2, and https://www.sqlite.org/lang_altertable.html#otheralter).
     * {@link #integrityViolations} then checks what enforcement would have caught, and
     * {@link #close} restores it.
     */
    @Override
    public void lock(Duration statementLockWait) throws SQLException {
        requireSameFile();
        setBusyTimeout(0);
        if (!foreignKeysRead) {
            // Once per session: a lock tried again after a busy one finds enforcement off already.
            foreignKeysRead = true;
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("PRAGMA foreign_keys")) {
                foreignKeysWereOn = rs.next() && rs.getInt(1) == 1;
            }
            if (foreignKeysWereOn) {
                run("PRAGMA foreign_keys = OFF");
            }
        }
        run("BEGIN IMMEDIATE");
        inTransaction = true;
        requireSameFile(); // replaced while the lock was taken: close() rolls back
        pragmasAtStart = pragmas();
        settingsMayHaveChanged = false;
        migrations = 0;
        // The busy timeout stays 0 for the whole transaction: a COMMIT that must wait for
        // readers fails busy at once and the protocol polls it, counting the wait against
        // the lock timeout. (A large transaction's cache spill that cannot get the exclusive
        // lock is skipped by SQLite, not failed, so statements never wait.)
    }

    /**
     * {@code PRAGMA data_version}: it changes when another connection commits
     * (https://www.sqlite.org/pragma.html#pragma_data_version), and reading it takes no lock.
     */
    @Override
    public long changeToken() throws SQLException {
        // Prepared once: a waiter reads it every watch, and the prepare cost more than the read.
        if (dataVersion == null) {
            dataVersion = connection.prepareStatement("PRAGMA data_version");
        }
        try (ResultSet rs = dataVersion.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Waits for the database's files to change ({@link CommitWatch}), up to {@code max}, where
     * the host can say so; elsewhere, and for a database that is not a file, polls.
     */
    @Override
    public void pauseForCommit(Duration watch, Duration max, Sleeper sleeper) throws InterruptedException {
        if (!commitWatchTried) {
            commitWatchTried = true;
            commitWatch = file == null ? null : CommitWatch.of(file).orElse(null);
        }
        if (commitWatch == null) {
            Session.poll(watch, max, sleeper);
        } else {
            commitWatch.await(max);
        }
    }

    /** {@code PRAGMA data_version} moves on every commit of another connection. */
    @Override
    public OptionalLong tokenOfLastRead() {
        return tokenOfLastRead;
    }

    /** SQLite's journal mode: whether readers can block a commit, and what a crash leaves. */
    @Override
    protected void details(Map<String, String> about) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
            about.put("journal mode", rs.next() ? rs.getString(1) : "unknown");
        }
    }

    /**
     * Puts back the connection settings a script can change and the next migration would see:
     * a migration's {@code PRAGMA recursive_triggers = ON} must not reach the migration after
     * it in the same transaction. ({@code PRAGMA foreign_keys} and {@code journal_mode} are
     * refused in scripts; {@code case_sensitive_like} cannot be read back.)
     */
    @Override
    public void startMigration() throws SQLException {
        busyTimeoutNow = -1; // a script or Java migration may set it
        if (++migrations > 1 && settingsMayHaveChanged) {
            restorePragmas();
        }
    }

    /**
     * A Java migration can change any setting through its connection: the next migration
     * reads them back.
     */
    @Override
    public void runJava(org.lockstep.JavaMigration migration, String name) throws SQLException {
        settingsMayHaveChanged = true;
        foreignKeys.beforeUnreadChange(); // its statements are not read: the check covers every table
        super.runJava(migration, name);
    }

    private void restorePragmas() throws SQLException {
        settingsMayHaveChanged = false;
        Map<String, String> now = pragmas();
        for (Map.Entry<String, String> pragma : pragmasAtStart.entrySet()) {
            if (!pragma.getValue().equals(now.get(pragma.getKey()))) {
                run("PRAGMA " + pragma.getKey() + " = " + pragma.getValue());
            }
        }
    }

    private Map<String, String> pragmas() throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM "
                        + String.join(
                                ", ",
                                SESSION_PRAGMAS.stream()
                                        .map(name -> "pragma_" + name)
                                        .toList()))) {
            rs.next();
            for (int i = 0; i < SESSION_PRAGMAS.size(); i++) {
                values.put(SESSION_PRAGMAS.get(i), rs.getString(i + 1));
            }
        }
        return values;
    }

    /** Returns the foreign-key violations the scripts of this transaction introduced ({@link ForeignKeyCheck}). */
    @Override
    public List<String> integrityViolations() throws SQLException {
        return foreignKeys.introduced();
    }

    /** The history table's triggers, which a script may have added, can write other tables. */
    @Override
    protected void beforeHistoryInsert() throws SQLException {
        if (!historyWriteCounted) {
            historyWriteCounted = true;
            foreignKeys.beforeOwnWrite(tableName);
        }
    }

    @Override
    protected void beforeStatement(SqlStatement statement) throws SQLException {
        // Only a PRAGMA statement changes a setting (the pragma functions a query can call
        // have no side effects): the word anywhere errs on the side of reading them back.
        if (!settingsMayHaveChanged && mentionsPragma(statement.sql())) {
            settingsMayHaveChanged = true;
        }
        foreignKeys.beforeStatement(statement); // what is orphaned already in what it may change
    }

    private static boolean mentionsPragma(String sql) {
        for (int i = 0; i + PRAGMA.length() <= sql.length(); i++) {
            if ((sql.charAt(i) | 0x20) == 'p' && sql.regionMatches(true, i, PRAGMA, 0, PRAGMA.length())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void commit() throws SQLException {
        run("COMMIT");
        inTransaction = false;
    }

    @Override
    public void close() throws SQLException {
        if (commitWatch != null) {
            commitWatch.close();
            commitWatch = null;
        }
        try {
            if (inTransaction) {
                inTransaction = false;
                run("ROLLBACK");
            }
            if (migrations > 0 && settingsMayHaveChanged) {
                restorePragmas(); // a pooled connection goes back with the settings it came with
            }
            if (busyTimeoutWas >= 0) {
                run("PRAGMA busy_timeout = " + busyTimeoutWas);
            }
            if (foreignKeysWereOn) {
                run("PRAGMA foreign_keys = ON");
            }
            if (!autoCommitWas) {
                connection.setAutoCommit(false);
            }
        } finally {
            connection.close();
        }
    }

    private void setBusyTimeout(int millis) throws SQLException {
        if (busyTimeoutWas < 0) {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("PRAGMA busy_timeout")) {
                busyTimeoutWas = rs.next() ? rs.getInt(1) : 0;
            }
        }
        if (busyTimeoutNow != millis) { // a waiter tries the lock hundreds of times a second
            run("PRAGMA busy_timeout = " + millis);
            busyTimeoutNow = millis;
        }
    }
}

package org.lockstep.internal.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.LockHolder;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.jdbc.Dialect;
import org.lockstep.internal.jdbc.JdbcDatabase;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.ScriptDialect;

/**
 * A SQLite database reached through JDBC. Errors are classified by SQLite's primary result
 * code (the driver's vendor code), never by message text.
 */
public final class SqliteDatabase extends JdbcDatabase {

    // SQLite primary result codes, https://www.sqlite.org/rescode.html
    static final int SQLITE_PERM = 3;
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_NOTADB = 26;
    static final int SQLITE_INTERRUPT = 9;
    // Extended result codes, https://www.sqlite.org/rescode.html#extrc
    static final int SQLITE_READONLY_DBMOVED = SQLITE_READONLY | (4 << 8);

    private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());
    private static final java.util.regex.Pattern NETWORK_FILE_SYSTEM = java.util.regex.Pattern.compile(
            "(?i)nfs.*|cifs|smb.*|fuse\\.sshfs|9p|afs|ceph|glusterfs|lustre|gpfs|davfs.*");

    /**
     * SQLite, for {@code jdbc:sqlite:} URLs: a new connection per call, except for a database in
     * memory, which exists only while a connection to it is open and so gets one connection,
     * kept and lent ({@link PinnedConnectionSource}).
     */
    public static final Dialect DIALECT = new Dialect(
            "SQLite",
            SqliteUrl.PREFIX,
            ScriptDialect.SQLITE,
            (url, user, password) -> SqliteUrl.parse(url).inMemory()
                    ? new PinnedConnectionSource(ConnectionSource.of(url, user, password))
                    : ConnectionSource.of(url, user, password),
            SqliteDatabase::new);

    private volatile boolean fileSystemChecked;
    // By device where the platform names it (a stat), else by path: see fileSystemType.
    private static final java.util.Map<Object, String> FILE_SYSTEM_TYPES =
            new java.util.concurrent.ConcurrentHashMap<>();
    // The main database file, as the first session found it: for a data source, whose URL is unknown.
    private volatile Path file;

    /**
     * Creates the database.
     *
     * @param source where connections come from
     * @param history where the history table is, as configured
     */
    public SqliteDatabase(ConnectionSource source, HistoryName history) {
        super(source, "SQLite", history);
    }

    /** The identity of the file at the database's path just before a connection opens it, if there is one. */
    @Override
    protected Object beforeOpen() {
        return file().map(SqliteSession::fileKey).orElse(null);
    }

    @Override
    protected Session session(Connection connection) throws SQLException {
        return session(connection, null);
    }

    @Override
    protected Session session(Connection connection, Object beforeOpen) throws SQLException {
        if (!fileSystemChecked) {
            fileSystemChecked = true;
            warnIfOnNetworkFileSystem(connection);
        }
        if (history()
                .schema()
                .filter(schema -> !schema.equalsIgnoreCase("main"))
                .isPresent()) {
            throw new DatabaseException(
                    DatabaseException.Reason.UNSUPPORTED,
                    "History schema ["
                            + history().schema().get() + "] is for PostgreSQL: SQLite keeps the history in the main"
                            + " database of [" + describe() + "]",
                    null);
        }
        SqliteSession session = new SqliteSession(connection, history().table(), describe(), beforeOpen);
        if (file == null) {
            session.file().ifPresent(found -> file = found);
        }
        return session;
    }

    /** The database file, if it is one: from the URL, or as a session found it. */
    private Optional<Path> file() {
        Path known = file;
        if (known != null) {
            return Optional.of(known);
        }
        return source().url().map(SqliteUrl::parse).flatMap(SqliteUrl::file);
    }

    /** The process that holds the write lock on the database file, on Linux ({@link FileLocks}). */
    @Override
    public Optional<LockHolder> lockHolder() {
        return file().flatMap(path -> new FileLocks().writeLockHolder(path.toAbsolutePath()));
    }

    // SQLite's locking rests on POSIX advisory locks, which many network file systems do
    // not implement faithfully (https://www.sqlite.org/howtocorrupt.html, section 2.1): two
    // hosts could then both hold the "exclusive" write lock. What can be detected is the
    // file system's type; it is logged, since the protocol cannot be safe there.
    private void warnIfOnNetworkFileSystem(Connection connection) {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                String file = rs.getString(3);
                if ("main".equals(rs.getString(2)) && file != null && !file.isEmpty()) {
                    String type = fileSystemType(java.nio.file.Path.of(file));
                    if (NETWORK_FILE_SYSTEM.matcher(type).matches()) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                () -> "Database [" + file + "] is on a network file"
                                        + " system [" + type
                                        + "]: SQLite's file locking is unreliable there, so concurrent"
                                        + " migrations from several hosts are not safe. Keep the database on a local disk.");
                    }
                }
            }
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Could not check the file system of [" + describe() + "]: " + e);
        }
    }

    // The type of the file system holding a database file (through a symbolic link too), or
    // its folder if the file is not there yet: looked up once per device and process, since
    // reading the mount table costs as much as a small deploy's bookkeeping (2% of a 50-script
    // deploy, bench section 5), and a process that migrates many databases in one folder (a
    // database per tenant) would read it for each. The device is the file's stat; where the
    // platform has none, the key is the path.
    private static String fileSystemType(Path file) throws java.io.IOException {
        Path path = file.toAbsolutePath();
        Path existing = java.nio.file.Files.exists(path) ? path : path.getParent();
        Object key = deviceOf(existing).orElse(path);
        String known = FILE_SYSTEM_TYPES.get(key);
        if (known == null) {
            known = java.nio.file.Files.getFileStore(existing).type();
            FILE_SYSTEM_TYPES.put(key, known);
        }
        return known;
    }

    private static Optional<Object> deviceOf(Path path) {
        try {
            return Optional.ofNullable(java.nio.file.Files.getAttribute(path, "unix:dev"));
        } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True for a file URL whose file is not there: opening it would create an empty database. */
    @Override
    public boolean isAbsent() {
        return source().url()
                .map(SqliteUrl::parse)
                .flatMap(SqliteUrl::file)
                .map(file -> !java.nio.file.Files.exists(file))
                .orElse(false);
    }

    @Override
    public boolean isBusy(SQLException error) {
        int code = resultCode(error);
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }

    @Override
    public boolean isDatabaseFault(SQLException error) {
        switch (resultCode(error)) {
            case SQLITE_PERM:
            case SQLITE_READONLY:
            case SQLITE_IOERR:
            case SQLITE_CORRUPT:
            case SQLITE_FULL:
            case SQLITE_CANTOPEN:
            case SQLITE_NOTADB:
                return true;
            default:
                return false;
        }
    }

    @Override
    public DatabaseException translate(SQLException error, String doing) {
        String where = "Database [" + describe() + "]";
        String cause = error.getMessage();
        if (extendedCode(error) == SQLITE_READONLY_DBMOVED) {
            return new DatabaseException(
                    DatabaseException.Reason.DATABASE_REPLACED,
                    where + " was deleted or replaced while this worker had it open (SQLite refuses to write a file"
                            + " that was moved or unlinked) while " + doing + ": " + cause,
                    error);
        }
        switch (resultCode(error)) {
            case SQLITE_NOTADB:
                return new DatabaseException(
                        DatabaseException.Reason.NOT_A_DATABASE, where + " is not a SQLite database: " + cause, error);
            case SQLITE_READONLY:
                return new DatabaseException(
                        DatabaseException.Reason.READ_ONLY,
                        where + " is read-only (the file, or its folder where SQLite keeps its journal)" + " while "
                                + doing + ": " + cause,
                        error);
            case SQLITE_CANTOPEN:
            case SQLITE_PERM:
                return new DatabaseException(
                        DatabaseException.Reason.CANNOT_OPEN,
                        where + " cannot be opened while " + doing + ": " + cause,
                        error);
            case SQLITE_CORRUPT:
                return new DatabaseException(DatabaseException.Reason.CORRUPT, where + " is damaged: " + cause, error);
            case SQLITE_FULL:
                return new DatabaseException(
                        DatabaseException.Reason.DISK_FULL,
                        where + " cannot grow: the disk (or the user's quota) is full, while " + doing + ": " + cause
                                + ". Free some room and run migrate again",
                        error);
            case SQLITE_IOERR:
                Optional<String> exhausted = file().flatMap(path -> FileSpace.exhausted(path, extendedCode(error)));
                if (exhausted.isPresent()) {
                    return new DatabaseException(
                            DatabaseException.Reason.DISK_FULL,
                            where + " cannot grow: it reached " + exhausted.get() + " while " + doing + ": " + cause
                                    + ". Make room (or raise the limit) and run migrate again",
                            error);
                }
                return new DatabaseException(
                        DatabaseException.Reason.IO_ERROR,
                        where + " could not be read or written (an I/O error from the operating system) while " + doing
                                + ": " + cause + ". Check the disk and the file system's log",
                        error);
            default:
                return new DatabaseException(
                        DatabaseException.Reason.OTHER, where + " failed while " + doing + ": " + cause, error);
        }
    }

    /** Returns SQLite's primary result code of the error or of the first cause that has one. */
    static int resultCode(SQLException error) {
        return extendedCode(error) & 0xff;
    }

    /**
     * Returns SQLite's extended result code of the error or of the first cause that has one
     * (https://www.sqlite.org/rescode.html#extrc), or the primary code if the driver does not
     * tell. The xerial driver's vendor code is the primary code only; its exception carries the
     * extended one in {@code getResultCode().code}, read reflectively, since the library
     * requires no driver.
     */
    static int extendedCode(SQLException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() != 0) {
                try {
                    Object resultCode =
                            sql.getClass().getMethod("getResultCode").invoke(sql);
                    int code = resultCode.getClass().getField("code").getInt(resultCode);
                    if ((code & 0xff) == (sql.getErrorCode() & 0xff)) {
                        return code;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // Another driver, or another shape: the primary code is all there is.
                }
                return sql.getErrorCode();
            }
        }
        return 0;
    }
}

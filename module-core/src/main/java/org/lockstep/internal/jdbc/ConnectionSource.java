package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.lockstep.ConnectionInitializer;
import org.lockstep.DatabaseException;
import org.lockstep.LockstepException;

/** Opens connections from a JDBC URL or a data source. */
public interface ConnectionSource {

    /**
     * Opens a new connection.
     *
     * @return the connection
     * @throws SQLException if it cannot be opened
     * @throws DatabaseException with reason {@link DatabaseException.Reason#NO_DRIVER} if no
     *     driver on the class path or module path accepts the URL
     */
    Connection open() throws SQLException;

    /** Returns what to call the database in messages; never contains a password. */
    String describe();

    /** Returns the JDBC URL connections are opened with, if known (not for a data source). */
    default Optional<String> url() {
        return Optional.empty();
    }

    /**
     * Returns what tells this source's database apart from every other: two sources with the same
     * identity open connections to the same database, in the same state. Empty when that cannot
     * be told (a data source, connections that initializers prepare, a database in memory): no
     * source's identity is then taken to be its.
     */
    default Optional<String> identity() {
        return Optional.empty();
    }

    /**
     * The connections of a source, each prepared by the initializers, in order, as soon as it
     * is open. An initializer that throws fails the call: the connection is closed, and the
     * {@link DatabaseException} names the initializer's class.
     *
     * @param source the source
     * @param initializers the initializers, asked for on every open (they are found lazily)
     * @return the source
     */
    static ConnectionSource initialized(ConnectionSource source, Supplier<List<ConnectionInitializer>> initializers) {
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                Connection connection = source.open();
                ConnectionInitializer current = null;
                try {
                    for (ConnectionInitializer initializer : initializers.get()) {
                        current = initializer;
                        initializer.initialize(connection);
                    }
                    return connection;
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.close();
                    } catch (SQLException closing) {
                        e.addSuppressed(closing);
                    }
                    if (current == null || e instanceof LockstepException) {
                        throw e;
                    }
                    throw new DatabaseException(
                            DatabaseException.Reason.OTHER,
                            "Connection initializer [" + current.getClass().getName() + "] failed on ["
                                    + source.describe() + "]: " + e.getMessage(),
                            e);
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
        };
    }

    /**
     * Connections through {@link DriverManager}.
     *
     * @param url the JDBC URL
     * @return the source
     */
    static ConnectionSource of(String url) {
        return of(url, null, null);
    }

    /**
     * Connections through {@link DriverManager}, with credentials given apart from the URL.
     *
     * @param url the JDBC URL
     * @param user the user, or null (or empty) to leave it to the URL
     * @param password the password, or null (or empty) for none
     * @return the source
     */
    static ConnectionSource of(String url, String user, String password) {
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                Properties info = new Properties();
                if (user != null && !user.isEmpty()) {
                    info.setProperty("user", user);
                }
                if (password != null && !password.isEmpty()) {
                    info.setProperty("password", password);
                }
                try {
                    return keepingInterrupt(() -> DriverManager.getConnection(url, info));
                } catch (SQLException e) {
                    if (!hasDriver(url)) {
                        // DriverManager's message repeats the URL, password and all.
                        SQLException shown = new SQLException(JdbcUrl.redactIn(e.getMessage(), url), e.getSQLState());
                        if (hasDriver(JdbcUrl.scheme(url) + "//localhost/lockstep")) {
                            throw new DatabaseException(
                                    DatabaseException.Reason.UNSUPPORTED,
                                    "URL [" + describe()
                                            + "] is malformed: the JDBC driver for " + JdbcUrl.scheme(url)
                                            + " URLs is there"
                                            + " but refuses it; check its host, port and database",
                                    shown);
                        }
                        throw new DatabaseException(
                                DatabaseException.Reason.NO_DRIVER,
                                "No JDBC driver for ["
                                        + describe()
                                        + "] is on the class path or module path; add the database's driver"
                                        + (url.startsWith("jdbc:postgresql:") ? " (org.postgresql:postgresql)" : ""),
                                shown);
                    }
                    throw e;
                }
            }

            @Override
            public String describe() {
                return JdbcUrl.shown(url);
            }

            @Override
            public Optional<String> url() {
                return Optional.of(url);
            }

            @Override
            public Optional<String> identity() {
                return Optional.of(url + '\u0000' + (user == null ? "" : user));
            }
        };
    }

    /** Opens a connection: a driver's or a data source's {@code getConnection}. */
    @FunctionalInterface
    interface Opening {
        /**
         * Opens the connection.
         *
         * @return the connection
         * @throws SQLException if it cannot be opened
         */
        Connection open() throws SQLException;
    }

    /**
     * Opens a connection, keeping the calling thread's interrupt: a thread interrupted before it
     * called {@code migrate()} is told so by the call (it stops before it applies anything, and
     * its flag is set when it returns). sqlite-jdbc's first connection in a process checks for
     * Android by running {@code getprop} and waiting for it, and swallows the
     * {@link InterruptedException} that wait throws for a thread already interrupted
     * ({@code OSInfo.isAndroidTermux}, sqlite-jdbc 3.54.1.0): found by adversarial use on
     * 2026-12-01, a pre-interrupted thread's first {@code migrate()} in a process returned
     * normally with its flag cleared, one time in two.
     *
     * @param opening opens the connection
     * @return the connection
     * @throws SQLException if it cannot be opened
     */
    static Connection keepingInterrupt(Opening opening) throws SQLException {
        boolean interrupted = Thread.currentThread().isInterrupted();
        try {
            return opening.open();
        } finally {
            if (interrupted && !Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean hasDriver(String url) {
        try {
            DriverManager.getDriver(url);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Connections from a data source, called {@code name} in messages if given, else by the
     * URL its driver reports for the first connection (passwords masked), else by its class.
     *
     * @param dataSource the data source
     * @param name what to call it, or null
     * @return the source
     */
    static ConnectionSource of(DataSource dataSource, String name) {
        return new ConnectionSource() {
            private volatile String learned;

            @Override
            public Connection open() throws SQLException {
                Connection connection = keepingInterrupt(dataSource::getConnection);
                if (name == null && learned == null) {
                    try {
                        String reported = connection.getMetaData().getURL();
                        if (reported != null && !reported.isBlank()) {
                            learned = JdbcUrl.shown(reported);
                        }
                    } catch (SQLException | RuntimeException e) {
                        learned = dataSource.getClass().getSimpleName();
                    }
                }
                return connection;
            }

            @Override
            public String describe() {
                if (name != null) {
                    return name;
                }
                String known = learned;
                return known != null && !known.isEmpty()
                        ? known
                        : dataSource.getClass().getSimpleName();
            }
        };
    }
}

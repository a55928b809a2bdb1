package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.lockstep.DatabaseException;

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
                    return DriverManager.getConnection(url, info);
                } catch (SQLException e) {
                    if (!hasDriver(url)) {
                        // DriverManager's message repeats the URL, password and all.
                        throw new DatabaseException(DatabaseException.Reason.NO_DRIVER, "No JDBC driver for ["
                                + describe() + "] is on the class path or module path; add the database's driver"
                                + (url.startsWith("jdbc:postgresql:") ? " (org.postgresql:postgresql)" : ""),
                                new SQLException(JdbcUrl.redactIn(e.getMessage(), url), e.getSQLState()));
                    }
                    throw e;
                }
            }

            @Override
            public String describe() {
                return url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()) : JdbcUrl.redact(url);
            }
        };
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
     * Connections from a data source.
     *
     * @param dataSource the data source
     * @return the source
     */
    static ConnectionSource of(DataSource dataSource) {
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public String describe() {
                return dataSource.toString();
            }
        };
    }
}

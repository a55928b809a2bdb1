package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Opens connections from a JDBC URL or a data source. */
public interface ConnectionSource {

    /**
     * Opens a new connection.
     *
     * @return the connection
     * @throws SQLException if it cannot be opened
     */
    Connection open() throws SQLException;

    /** Returns what to call the database in messages. */
    String describe();

    /**
     * Connections through {@link DriverManager}.
     *
     * @param url the JDBC URL
     * @return the source
     */
    static ConnectionSource of(String url) {
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public String describe() {
                return url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()) : url;
            }
        };
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

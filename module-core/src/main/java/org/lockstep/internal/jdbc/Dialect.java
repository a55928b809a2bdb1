package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.ScriptDialect;

/**
 * A database product Lockstep supports: the seam a database plugs into. Each lives in a
 * package of its own ({@code internal.sqlite}, {@code internal.postgres}) whose opening
 * comment says how it gives the protocol its three needs: a lock that its holder's death
 * releases, a consistent re-read of the history under that lock, and transactional DDL.
 * Everything else (the protocol, the history table, the statement scanner) is written once.
 *
 * <p>Scripts are checked before the database is opened, so the dialect is needed first. A
 * JDBC URL names it ({@code jdbc:sqlite:}, {@code jdbc:postgresql:}); for a data source, or
 * a URL of a wrapping driver, {@link #detect} opens one connection and asks its
 * {@link java.sql.DatabaseMetaData#getDatabaseProductName() product name}.
 */
public interface Dialect {

    /** Returns the product name as {@link java.sql.DatabaseMetaData} reports it, e.g. {@code SQLite}. */
    String product();

    /** Returns whether a JDBC URL names this database. */
    boolean accepts(String url);

    /** Returns how scripts for this database split into statements, and what they may not contain. */
    ScriptDialect scripts();

    /**
     * Returns where connections to a URL of this database come from; by default a new one
     * through {@link java.sql.DriverManager} each time.
     *
     * @param url the JDBC URL
     * @param user the user, or null to leave it to the URL
     * @param password the password, or null for none
     * @return the source
     */
    default ConnectionSource connections(String url, String user, String password) {
        return ConnectionSource.of(url, user, password);
    }

    /**
     * Returns the database as the protocol sees it.
     *
     * @param source where connections come from
     * @param historyTable the history table's name as configured, a plain identifier
     * @return the database
     */
    Database database(ConnectionSource source, String historyTable);

    /**
     * Returns the dialect a JDBC URL names, if one does.
     *
     * @param dialects the supported dialects
     * @param url a JDBC URL
     * @return the dialect, or empty for another product or a wrapping driver
     */
    static Optional<Dialect> ofUrl(List<Dialect> dialects, String url) {
        return dialects.stream().filter(dialect -> dialect.accepts(url)).findFirst();
    }

    /**
     * Opens one connection to learn the database product, and closes it.
     *
     * @param dialects the supported dialects
     * @param source where connections come from
     * @return the dialect
     * @throws DatabaseException if the connection cannot be opened or the product is not supported
     */
    static Dialect detect(List<Dialect> dialects, ConnectionSource source) {
        String productName;
        try (Connection connection = source.open()) {
            productName = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new DatabaseException(DatabaseException.Reason.CANNOT_OPEN, "Database [" + source.describe()
                    + "] cannot be opened to learn its product: " + e.getMessage(), e);
        }
        return dialects.stream().filter(dialect -> dialect.product().equalsIgnoreCase(productName)).findFirst()
                .orElseThrow(() -> new DatabaseException(DatabaseException.Reason.UNSUPPORTED, "Database ["
                        + source.describe() + "] is [" + productName + "]; Lockstep supports "
                        + dialects.stream().map(Dialect::product).toList(), null));
    }

    /** Makes a session of a connection whose product has been checked. */
    @FunctionalInterface
    interface SessionMaker {
        /**
         * Makes the session.
         *
         * @param connection the open connection
         * @return the session, which owns the connection from now on
         * @throws SQLException on a database error
         */
        Session make(Connection connection) throws SQLException;
    }

    /**
     * Opens a connection, checks that it is of {@code product}, and makes a session of it;
     * the connection is closed if any of that fails.
     *
     * @param source where connections come from
     * @param product the product the connection must be
     * @param maker makes the session
     * @return the session
     * @throws SQLException on a database error
     */
    static Session open(ConnectionSource source, String product, SessionMaker maker) throws SQLException {
        Connection connection = source.open();
        try {
            String productName = connection.getMetaData().getDatabaseProductName();
            if (!product.equalsIgnoreCase(productName)) {
                throw new DatabaseException(DatabaseException.Reason.UNSUPPORTED, "Database [" + source.describe()
                        + "] is [" + productName + "], not " + product + " as its URL says", null);
            }
            return maker.make(connection);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}

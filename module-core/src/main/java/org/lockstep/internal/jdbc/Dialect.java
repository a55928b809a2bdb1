package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.ScriptDialect;

/**
 * A database product Lockstep supports: the seam a database plugs into. Each lives in a
 * package of its own, which names its dialect in one constant ({@code internal.sqlite}, {@code internal.postgres}) whose opening
 * comment says how it gives the protocol its three needs: a lock that its holder's death
 * releases, a consistent re-read of the history under that lock, and transactional DDL.
 * Everything else (the protocol, the history table, the statement scanner) is written once.
 *
 * <p>Scripts are checked before the database is opened, so the dialect is needed first. A
 * JDBC URL names it ({@code jdbc:sqlite:}, {@code jdbc:postgresql:}); for a data source, or
 * a URL of a wrapping driver, {@link #detect} opens one connection and asks its
 * {@link java.sql.DatabaseMetaData#getDatabaseProductName() product name}.
 *
 * @param product the product name as {@link java.sql.DatabaseMetaData} reports it, e.g. {@code SQLite}
 * @param urlPrefix what the JDBC URLs of this database start with, e.g. {@code jdbc:sqlite:}
 * @param scripts how scripts for this database split into statements, and what they may not contain
 * @param connections where connections to a URL of this database come from
 * @param database makes the database as the protocol sees it, from a source and the history table's place
 */
public record Dialect(
        String product,
        String urlPrefix,
        ScriptDialect scripts,
        Connections connections,
        BiFunction<ConnectionSource, HistoryName, Database> database) {

    /** Where connections to a URL come from, for one database. */
    @FunctionalInterface
    public interface Connections {
        /** The default: a new connection through {@link java.sql.DriverManager} each time. */
        Connections NEW_EACH_TIME = ConnectionSource::of;

        /**
         * Returns the source of connections to a URL.
         *
         * @param url the JDBC URL
         * @param user the user, or null to leave it to the URL
         * @param password the password, or null for none
         * @return the source
         */
        ConnectionSource of(String url, String user, String password);
    }

    /** Returns whether a JDBC URL names this database. */
    public boolean accepts(String url) {
        return url.startsWith(urlPrefix);
    }

    /**
     * Returns the database as the protocol sees it.
     *
     * @param source where connections come from
     * @param history where the history table is, as configured
     * @return the database
     */
    public Database database(ConnectionSource source, HistoryName history) {
        return database.apply(source, history);
    }

    /**
     * Returns the dialect a JDBC URL names, if one does.
     *
     * @param dialects the supported dialects
     * @param url a JDBC URL
     * @return the dialect, or empty for another product or a wrapping driver
     */
    public static Optional<Dialect> ofUrl(List<Dialect> dialects, String url) {
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
    public static Dialect detect(List<Dialect> dialects, ConnectionSource source) {
        String productName;
        try (Connection connection = source.open()) {
            productName = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new DatabaseException(
                    DatabaseException.Reason.CANNOT_OPEN,
                    "Database [" + source.describe() + "] cannot be opened to learn its product: " + e.getMessage(),
                    e);
        }
        return dialects.stream()
                .filter(dialect -> dialect.product().equalsIgnoreCase(productName))
                .findFirst()
                .orElseThrow(() -> new DatabaseException(
                        DatabaseException.Reason.UNSUPPORTED,
                        "Database ["
                                + source.describe() + "] is [" + productName + "]; Lockstep supports "
                                + dialects.stream().map(Dialect::product).toList(),
                        null));
    }

    /** Makes a session of a connection whose product has been checked. */
    @FunctionalInterface
    public interface SessionMaker {
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
    public static Session open(ConnectionSource source, String product, SessionMaker maker) throws SQLException {
        Connection connection = source.open();
        try {
            String productName = connection.getMetaData().getDatabaseProductName();
            if (!product.equalsIgnoreCase(productName)) {
                throw new DatabaseException(
                        DatabaseException.Reason.UNSUPPORTED,
                        "Database [" + source.describe() + "] is [" + productName + "], not " + product
                                + " as its URL says",
                        null);
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

package org.lockstep.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.ScriptDialect;

/**
 * The database products Lockstep supports, each with its {@link Database} (the lock and the
 * history table) and its {@link ScriptDialect} (how scripts split, what they may not do).
 *
 * <p>Scripts are checked before the database is opened, so the dialect is needed first.
 * A JDBC URL names it ({@code jdbc:sqlite:}, {@code jdbc:postgresql:}); for a data source,
 * or a URL of a wrapping driver, {@link #detect} opens one connection and asks its
 * {@link java.sql.DatabaseMetaData#getDatabaseProductName() product name}.
 */
public enum Dialect {
    /** SQLite: the lock is {@code BEGIN IMMEDIATE}. */
    SQLITE("SQLite", ScriptDialect.SQLITE),
    /** PostgreSQL: the lock is a transaction-scoped advisory lock. */
    POSTGRESQL("PostgreSQL", ScriptDialect.POSTGRESQL);

    private final String product;
    private final ScriptDialect scripts;

    Dialect(String product, ScriptDialect scripts) {
        this.product = product;
        this.scripts = scripts;
    }

    /**
     * Returns the dialect a JDBC URL names, if it names one.
     *
     * @param url a JDBC URL
     * @return the dialect, or empty for another or a wrapping driver
     */
    public static Optional<Dialect> ofUrl(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return Optional.of(SQLITE);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        return Optional.empty();
    }

    /**
     * Returns the dialect of a database product name, as {@link java.sql.DatabaseMetaData} gives it.
     *
     * @param productName the product name
     * @param database what to call the database in the message
     * @return the dialect
     * @throws DatabaseException with reason {@link DatabaseException.Reason#UNSUPPORTED} for any other product
     */
    static Dialect ofProduct(String productName, String database) {
        for (Dialect dialect : values()) {
            if (dialect.product.equalsIgnoreCase(productName)) {
                return dialect;
            }
        }
        throw new DatabaseException(DatabaseException.Reason.UNSUPPORTED, "Database [" + database + "] is ["
                + productName + "]; Lockstep supports SQLite and PostgreSQL", null);
    }

    /**
     * Opens one connection to learn the database product, and closes it.
     *
     * @param source where connections come from
     * @return the dialect
     * @throws DatabaseException if the connection cannot be opened or the product is not supported
     */
    public static Dialect detect(ConnectionSource source) {
        try (Connection connection = source.open()) {
            return ofProduct(connection.getMetaData().getDatabaseProductName(), source.describe());
        } catch (SQLException e) {
            throw new DatabaseException(DatabaseException.Reason.CANNOT_OPEN, "Database [" + source.describe()
                    + "] cannot be opened to learn its product: " + e.getMessage(), e);
        }
    }

    /** Returns how scripts for this database split and what they may not contain. */
    public ScriptDialect scripts() {
        return scripts;
    }

    /**
     * Returns the database as the protocol sees it.
     *
     * @param source where connections come from
     * @param historyTable the history table's name, already checked to be a plain identifier
     * @return the database
     */
    public Database database(ConnectionSource source, String historyTable) {
        return this == SQLITE ? new SqliteDatabase(source, historyTable) : new PostgresDatabase(source, historyTable);
    }

    /** Checks that an opened connection is of this product. */
    /** Makes a session of a connection whose product has been checked. */
    @FunctionalInterface
    interface SessionMaker {
        Session make(Connection connection) throws SQLException;
    }

    /**
     * Opens a connection, checks that it is this dialect's product, and makes a session of
     * it; the connection is closed if any of that fails.
     */
    Session open(ConnectionSource source, String database, SessionMaker maker) throws SQLException {
        Connection connection = source.open();
        try {
            check(connection, database);
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

    void check(Connection connection, String database) throws SQLException {
        String productName = connection.getMetaData().getDatabaseProductName();
        if (!product.equalsIgnoreCase(productName)) {
            throw new DatabaseException(DatabaseException.Reason.UNSUPPORTED, "Database [" + database + "] is ["
                    + productName + "], not " + product + " as its URL says; Lockstep supports SQLite and PostgreSQL",
                    null);
        }
    }
}

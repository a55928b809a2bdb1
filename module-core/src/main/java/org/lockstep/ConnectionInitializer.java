package org.lockstep;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Prepares every connection Lockstep opens, before Lockstep uses it: for a history whose
 * scripts call functions the application registers on its connections (SQLite's
 * {@code org.sqlite.Function.create(connection, "normalize", ...)}), or session settings they
 * rely on.
 *
 * <p>Found like Java migrations: as a service of the module layer or class loader the
 * configuration names ({@code provides org.lockstep.ConnectionInitializer with ...;} or
 * {@code META-INF/services/org.lockstep.ConnectionInitializer}), or handed to
 * {@link MigrationConfig.Builder#connectionInitializer(ConnectionInitializer)}. Each runs on
 * each new connection, in the order they were found, before any transaction: a connection
 * for a read, for a deploy, or to learn the database's product. Lockstep gives back the
 * settings it changes itself, not the initializer's.
 *
 * <p>An initializer that throws fails the call before anything is changed; the error names its
 * class. Implementations may be called from several threads at once.
 */
@FunctionalInterface
public interface ConnectionInitializer {

    /**
     * Prepares a new connection.
     *
     * @param connection the connection, as the driver or data source gave it, in auto-commit
     *     mode as opened
     * @throws SQLException if it cannot be prepared
     */
    void initialize(Connection connection) throws SQLException;
}

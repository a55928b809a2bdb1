package org.lockstep;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A migration written in Java, for what SQL cannot do (re-encode a column, split a JSON
 * field, hash what was stored in clear). It runs interleaved with the SQL scripts by version,
 * under the same lock and in the same transaction as the rest of the deploy, exactly once,
 * and the history records it like a script, under its class name.
 *
 * <p>Lockstep finds Java migrations as services, or is handed them:
 *
 * <ul>
 *   <li>in a modular application, as a service of the module layer the configuration names
 *       ({@link MigrationConfig.Builder#services(ModuleLayer)}): the application's module
 *       declares {@code provides org.lockstep.JavaMigration with com.example.V7_SplitNames;}
 *       (and requires {@code org.lockstep});
 *   <li>on the class path, listed in {@code META-INF/services/org.lockstep.JavaMigration},
 *       through the class loader the configuration names
 *       ({@link MigrationConfig.Builder#services(ClassLoader)});
 *   <li>as instances, from a dependency-injection container
 *       ({@link MigrationConfig.Builder#javaMigration(JavaMigration)}).
 * </ul>
 *
 * <p>The {@link Connection} given to {@link #migrate} is the deploy's, inside its transaction:
 * it cannot commit, roll back, change auto-commit, set or release a savepoint, or be closed
 * (each throws {@link SQLException} saying why, and the migration fails even if it catches
 * that), nor be unwrapped to the driver's connection. SQL that ends the transaction, such as a
 * {@code COMMIT} statement, is not intercepted: do not run it. Whatever {@code migrate} throws
 * rolls the whole deploy back, and the failure names the class and the version. A Java migration's version must not be a script's too: that is an error
 * before the database is opened.
 *
 * <p>An implementation is instantiated once per {@link Migrator} (a service needs a public
 * no-argument constructor, or a public static {@code provider()} method in a module) and may
 * be called from several threads, one call at a time per database; keep it stateless.
 */
public interface JavaMigration {

    /**
     * Returns the version, which orders this migration among the others and, once applied,
     * identifies it in the history.
     *
     * @return the version
     */
    MigrationVersion version();

    /**
     * Returns what the migration does, in a few words, as a script's name says it; the history
     * records it.
     *
     * @return the description, not blank
     */
    String description();

    /**
     * Applies the migration on the deploy's connection, inside its transaction.
     *
     * @param connection the connection; see the class comment for what it refuses
     * @throws SQLException if the migration fails; the deploy is rolled back
     */
    void migrate(Connection connection) throws SQLException;

    /**
     * Returns the checksum the history records and validation compares: change it when the
     * migration's effect changes, and an applied migration whose checksum no longer matches is
     * a {@link MigrationState#CHECKSUM_MISMATCH}. Default: the empty string, i.e. none; the code
     * itself is not compared.
     *
     * @return the checksum, not null
     */
    default String checksum() {
        return "";
    }
}

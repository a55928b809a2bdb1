/**
 * Lockstep: SQL schema migrations for SQLite and PostgreSQL that are safe when many
 * processes start at once.
 *
 * <p>The module exports one package, {@link org.lockstep}. Everything else lives in
 * unexported {@code org.lockstep.internal.*} packages. It requires {@code java.sql} and
 * nothing else: the application brings its own JDBC driver (SQLite's, or PostgreSQL's
 * {@code org.postgresql:postgresql} on the class path or module path).
 *
 * <p>Logging goes through {@link java.lang.System.Logger}. Each class that logs has one logger
 * named after the class, so every logger's name starts with {@code org.lockstep}: configure
 * {@code org.lockstep} to configure them all. At INFO a run logs one line per migration it
 * applied and one summary; lock waits climb from DEBUG to INFO to WARNING as they grow; an
 * applied version the scripts do not know (a newer release's) is INFO, a script skipped as out
 * of order is WARNING. Messages are built only when their level is enabled.
 *
 * <p>The module reads no system properties and no environment variables.
 */
module org.lockstep {
    requires transitive java.sql;

    exports org.lockstep;

    // Java migrations and connection hooks an application provides as services; see
    // MigrationConfig.Builder.services(ModuleLayer).
    uses org.lockstep.JavaMigration;
    uses org.lockstep.ConnectionInitializer;
}

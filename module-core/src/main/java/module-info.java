/**
 * Lockstep: SQL schema migrations for SQLite and PostgreSQL that are safe when many
 * processes start at once.
 *
 * <p>The module exports one package, {@link org.lockstep}. Everything else lives in
 * unexported {@code org.lockstep.internal.*} packages. It requires {@code java.sql} and
 * nothing else: the application brings its own JDBC driver (SQLite's, or PostgreSQL's
 * {@code org.postgresql:postgresql} on the class path or module path), and logging goes through
 * {@link java.lang.System.Logger} under logger names starting with {@code org.lockstep}.
 *
 * <p>The module reads no system properties and no environment variables.
 */
module org.lockstep {
    requires transitive java.sql;

    exports org.lockstep;
}

package org.lockstep.tests.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationConfig;
import org.lockstep.tests.fixture.PostgresDatabase;
import org.lockstep.tests.fixture.PostgresServer;

/**
 * What the PostgreSQL regression tests share: a fresh database on the test server, a role of
 * the test's own (so that {@code ALTER ROLE ... SET search_path}, ownership and read-only
 * settings touch nothing else), and a folder of scripts.
 */
abstract class PostgresCase {
    private static final AtomicInteger ROLES = new AtomicInteger();

    @TempDir
    Path dir;

    PostgresDatabase database;
    String role;
    final String rolePassword = "role-pw-" + ProcessHandle.current().pid();
    Path scripts;

    @BeforeEach
    void freshDatabaseAndRole() throws Exception {
        database = PostgresServer.shared().freshDatabase();
        role = "lockstep_role_" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
        database.execute(
                "CREATE ROLE " + role + " LOGIN PASSWORD '" + rolePassword + "'",
                "GRANT ALL ON DATABASE " + database.name() + " TO " + role,
                "GRANT ALL ON SCHEMA public TO " + role);
        scripts = Files.createDirectories(dir.resolve("migrations"));
    }

    @AfterEach
    void dropDatabaseAndRole() throws Exception {
        database.execute("DROP OWNED BY " + role); // its objects and grants in this database
        database.close();
        // Roles are the cluster's: dropped through the server's own database.
        Properties info = new Properties();
        info.setProperty("user", database.server().user());
        info.setProperty("password", database.server().password());
        try (Connection server =
                        DriverManager.getConnection(database.url().replace("/" + database.name(), "/postgres"), info);
                Statement statement = server.createStatement()) {
            statement.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    /** A configuration that connects as the test's role. */
    MigrationConfig.Builder config() {
        return MigrationConfig.builder()
                .url(database.url(), role, rolePassword)
                .location(scripts)
                .owner("tester");
    }

    /** A connection as the test's role. */
    Connection connectAsRole() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", role);
        info.setProperty("password", rolePassword);
        return DriverManager.getConnection(database.url(), info);
    }

    /** Runs statements as the test's role. */
    void executeAsRole(String... sql) throws SQLException {
        try (Connection connection = connectAsRole();
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    void script(String name, String text) {
        try {
            Files.writeString(scripts.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every table of this name in the database, schema-qualified. */
    java.util.List<String> tablesNamed(String name) throws SQLException {
        return database.strings("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE c.relname = '" + name + "' AND c.relkind = 'r' ORDER BY 1");
    }
}

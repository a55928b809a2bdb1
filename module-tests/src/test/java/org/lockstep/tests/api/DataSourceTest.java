package org.lockstep.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.JavaMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.OneConnectionPool;

/** Connections from the application's own DataSource, as a connection pool hands them out. */
final class DataSourceTest {
    @TempDir
    Path dir;

    @Test
    void pooledConnectionIsReturnedWithItsSettingsAsTheyWereFound() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(scripts.resolve("001_parent.sql"), "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n");
        Files.writeString(
                scripts.resolve("002_child.sql"),
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id));\n");
        try (Connection physical = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"))) {
            try (Statement s = physical.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("PRAGMA busy_timeout = 1234");
            }
            physical.setAutoCommit(false);
            OneConnectionPool pool = new OneConnectionPool(physical);

            MigrateResult result = Migrator.create(MigrationConfig.builder()
                            .dataSource(pool)
                            .location(scripts)
                            .build())
                    .migrate();

            assertEquals(2, result.applied().size());
            assertTrue(pool.borrowed() >= 2, "one connection per attempt, plus the final read");
            assertFalse(physical.getAutoCommit(), "auto-commit not restored");
            physical.commit();
            physical.setAutoCommit(true);
            assertEquals(1, pragma(physical, "foreign_keys"), "foreign keys not restored");
            assertEquals(1234, pragma(physical, "busy_timeout"), "busy timeout not restored");
        }
    }

    @Test
    void aSettingAScriptChangesReachesNeitherTheNextMigrationNorThePool() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        // Lower case, and last too: a setting is read back after any statement naming a pragma.
        Files.writeString(scripts.resolve("001_recursive.sql"), "pragma recursive_triggers = on;\n");
        Files.writeString(
                scripts.resolve("002_seen.sql"),
                "CREATE TABLE seen AS SELECT recursive_triggers AS v FROM pragma_recursive_triggers;\n");
        Files.writeString(scripts.resolve("003_recursive_again.sql"), "Pragma Recursive_Triggers = 1;\n");
        try (Connection physical = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"))) {
            MigrateResult result = Migrator.create(MigrationConfig.builder()
                            .dataSource(new OneConnectionPool(physical))
                            .location(scripts)
                            .build())
                    .migrate();

            assertEquals(3, result.applied().size());
            assertEquals(0, query(physical, "SELECT v FROM seen"), "002 saw 001's setting");
            assertEquals(0, pragma(physical, "recursive_triggers"), "the pool got 003's setting");
        }
    }

    @Test
    void aSettingAJavaMigrationChangesDoesNotReachTheNextMigration() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(
                scripts.resolve("002_seen.sql"),
                "CREATE TABLE seen AS SELECT recursive_triggers AS v FROM pragma_recursive_triggers;\n");
        JavaMigration recursive = new JavaMigration() {
            @Override
            public MigrationVersion version() {
                return MigrationVersion.parse("001");
            }

            @Override
            public String description() {
                return "recursive triggers on";
            }

            @Override
            public void migrate(Connection connection) throws SQLException {
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA recursive_triggers = ON");
                }
            }
        };
        try (Connection physical = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"))) {
            MigrateResult result = Migrator.create(MigrationConfig.builder()
                            .dataSource(new OneConnectionPool(physical))
                            .location(scripts)
                            .javaMigration(recursive)
                            .build())
                    .migrate();

            assertEquals(2, result.applied().size());
            assertEquals(0, query(physical, "SELECT v FROM seen"), "002 saw the Java migration's setting");
            assertEquals(0, pragma(physical, "recursive_triggers"), "the pool got the Java migration's setting");
        }
    }

    private static int query(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getInt(1);
        }
    }

    private static int pragma(Connection connection, String name) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DriftReport;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.OneConnectionPool;

/**
 * Drift replays the applied scripts in the order they were applied, not by version, and reads
 * the live schema without changing the connection it was given.
 */
final class DriftReplayTest {
    @TempDir
    Path dir;

    @Test
    void aScriptAppliedOutOfOrderIsReplayedWhereItWasApplied() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Path database = dir.resolve("app.db");
        Files.writeString(scripts.resolve("001_a.sql"), "CREATE TABLE a (x INTEGER);\n");
        Files.writeString(scripts.resolve("003_b.sql"), "CREATE TABLE b (x INTEGER);\n");
        migrator(database, scripts).migrate();
        // Merged late from another branch: it needs 003's table, so only its application order replays.
        Files.writeString(scripts.resolve("002_b_y.sql"), "ALTER TABLE b ADD COLUMN y TEXT;\n");
        assertEquals(1, migrator(database, scripts).migrate().applied().size());

        DriftReport report = migrator(database, scripts).drift();

        assertTrue(report.matches(), report::toString);
    }

    @Test
    void aPooledConnectionComesBackFromDriftAsItWasLent() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Path database = dir.resolve("app.db");
        Files.writeString(scripts.resolve("001_a.sql"), "CREATE TABLE a (x INTEGER);\n");
        migrator(database, scripts).migrate();
        try (Connection physical = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            try (Statement statement = physical.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 1234");
            }
            physical.setAutoCommit(false);

            DriftReport report = Migrator.create(MigrationConfig.builder()
                            .dataSource(new OneConnectionPool(physical))
                            .location(scripts)
                            .build())
                    .drift();

            assertTrue(report.matches(), report::toString);
            assertFalse(physical.getAutoCommit(), "auto-commit not restored");
            physical.commit();
            physical.setAutoCommit(true);
            assertEquals(1234, pragma(physical, "busy_timeout"), "busy timeout not restored");
            assertEquals(0, pragma(physical, "query_only"), "the connection was left read-only");
            try (Statement statement = physical.createStatement()) {
                statement.execute("INSERT INTO a VALUES (1)"); // writable again
            }
        }
    }

    @Test
    void aMigrationCommittedWhileDriftReadsTheSchemaIsReplayedToo() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Path database = dir.resolve("app.db");
        Files.writeString(scripts.resolve("001_a.sql"), "CREATE TABLE a (x INTEGER);\n");
        migrator(database, scripts).migrate();
        Files.writeString(scripts.resolve("002_b.sql"), "CREATE TABLE b (x INTEGER);\n");
        AtomicInteger opened = new AtomicInteger();
        DataSource racing = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    // Connections: the dialect's, the history's, then the live schema's: another
                    // worker deploys 002 just before that one.
                    if (opened.incrementAndGet() == 3) {
                        migrator(database, scripts).migrate();
                    }
                    return DriverManager.getConnection("jdbc:sqlite:" + database);
                });

        DriftReport report = Migrator.create(MigrationConfig.builder()
                        .dataSource(racing)
                        .location(scripts)
                        .build())
                .drift();

        assertTrue(report.matches(), report::toString);
        assertEquals(2, report.replayed().size(), "the history read again after the schema, and replayed: " + report);
    }

    private static Migrator migrator(Path database, Path scripts) {
        return Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .outOfOrder(true)
                .build());
    }

    private static int pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

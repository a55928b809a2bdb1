package org.lockstep.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.Cancelling;

/**
 * {@link Migrator#cancel()} from another thread (what a shutdown hook or a signal handler
 * does): a call applying a statement that would run for minutes has it interrupted and its
 * deploy rolled back; a call waiting for the lock stops waiting; each throws
 * {@link MigrationInterruptedException} with its stage, within seconds, and the database is as
 * before. The command's signal handling runs through this and is tested by its process tests;
 * these are the library's own, in one JVM.
 */
final class CancelTest {
    // Counts to two billion: minutes of SQLite's time unless interrupted.
    private static final String LONG_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            + " WHERE x < 2000000000) SELECT count(*) FROM c;\n";

    @TempDir
    Path dir;

    private Path database;
    private Path scripts;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @BeforeEach
    void scripts() throws Exception {
        database = dir.resolve("app.db");
        scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    }

    @AfterEach
    void stopWorker() throws InterruptedException {
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(60, TimeUnit.SECONDS), "the migrating thread did not end");
    }

    private MigrationConfig.Builder config(MigrationListener listener) {
        return MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .owner("tester")
                .listener(listener);
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aStatementRunningForMinutesIsInterruptedAndTheDeployRolledBack() throws Exception {
        Files.writeString(scripts.resolve("002_slow.sql"), "CREATE TABLE slow (x);\n" + LONG_QUERY);
        CountDownLatch running = new CountDownLatch(1);
        Migrator migrator = Migrator.create(config(new MigrationListener() {
                    @Override
                    public void statementCompleted(
                            Optional<MigrationVersion> version, int statement, int statements, Duration elapsed) {
                        if (version.equals(Optional.of(MigrationVersion.parse("2"))) && statement == 1) {
                            running.countDown(); // the long query comes next
                        }
                    }
                })
                .build());

        MigrationInterruptedException stopped = Cancelling.cancelWhen(worker, running, "step", migrator);

        assertEquals(MigrationInterruptedException.Stage.APPLYING, stopped.stage());
        assertTrue(stopped.cancelled());
        assertTrue(stopped.getMessage().contains("[002_slow.sql]"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("nothing of it was committed"), stopped.getMessage());
        assertEquals(0, count("SELECT count(*) FROM sqlite_master WHERE name IN ('users', 'slow')"));
        assertEquals(
                List.of(MigrationState.PENDING, MigrationState.PENDING),
                Migrator.create(config(new MigrationListener() {}).build()).status().stream()
                        .map(MigrationInfo::state)
                        .toList());
    }

    @Test
    void aCallWaitingForTheLockStopsWaiting() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Migrator migrator = Migrator.create(config(new MigrationListener() {
                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        waiting.countDown();
                    }
                })
                .lockTimeout(Duration.ofMinutes(5))
                .build());
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = holder.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");

            MigrationInterruptedException stopped = Cancelling.cancelWhen(worker, waiting, null, migrator);

            assertEquals(MigrationInterruptedException.Stage.WAITING, stopped.stage());
            assertTrue(stopped.cancelled());
            assertTrue(
                    stopped.getMessage().startsWith("Migration cancelled while waiting for the lock"),
                    stopped.getMessage());
            statement.execute("ROLLBACK");
        }
        assertEquals(0, count("SELECT count(*) FROM sqlite_master WHERE name = 'users'"));
    }
}

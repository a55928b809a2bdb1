package org.lockstep.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.FaultMatrix;
import org.lockstep.tests.fixture.PostgresDatabase;
import org.lockstep.tests.fixture.RestartablePostgres;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * The PostgreSQL server restarted while workers wait for the migration lock (another session
 * holds it; the restart ends that session too). Workers that had reached the server keep trying
 * within their lock timeout: brought back in time, they reconnect and finish, exactly once;
 * kept down past the timeout, each fails clearly (exit 6, the connection lost, nothing of the
 * deploy committed, the version it last read) and the database is at its previous version. A
 * server of the class's own ({@link RestartablePostgres}), so that the shared one stays up.
 */
final class PostgresServerRestartIT {
    private static final int WORKERS = 3;
    private static final int APP_ROWS = 500;

    // One server for both tests (initdb costs seconds), a database of its own for each.
    @TempDir
    static Path serverDir;

    private static RestartablePostgres server;
    private static int databases;

    @TempDir
    Path dir;

    private String database;
    private Path scripts;
    private final ExecutorService pool = Executors.newFixedThreadPool(WORKERS);

    @BeforeAll
    static void startServer() throws Exception {
        server = RestartablePostgres.start(serverDir.resolve("data"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void createDatabase() throws Exception {
        server.ensureRunning(); // a failed test may have left it down
        database = "app" + ++databases;
        server.createDatabase(database);
        scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_app.sql"),
                "CREATE TABLE app_data (id INTEGER NOT NULL);\n"
                        + "INSERT INTO app_data SELECT n FROM generate_series(1, " + APP_ROWS + ") AS n;\n");
        Files.writeString(scripts.resolve("002_more.sql"), "CREATE TABLE more (id INTEGER);\n");
        Files.writeString(
                scripts.resolve("003_effects.sql"),
                "CREATE TABLE effects (version INTEGER);\nINSERT INTO effects VALUES (3);\n");
        Migrator.create(config("earlier-deploy", Duration.ofSeconds(10))
                        .target(MigrationVersion.parse("001"))
                        .build())
                .migrate();
    }

    @AfterEach
    void stopWorkers() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }

    private MigrationConfig.Builder config(String owner, Duration lockTimeout) {
        return MigrationConfig.builder()
                .url(server.url(database), server.user(), server.password())
                .location(scripts)
                .owner(owner)
                .lockTimeout(lockTimeout);
    }

    @Test
    @Timeout(180)
    void workersWaitingThroughARestartReconnectAndFinishExactlyOnce() throws Exception {
        Connection holder = holdLock();
        CountDownLatch waiting = new CountDownLatch(WORKERS);
        List<Future<MigrateResult>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            MigrationConfig config = config("w" + w, Duration.ofSeconds(60))
                    .listener(new FirstWait(waiting))
                    .build();
            workers.add(pool.submit(() -> Migrator.create(config).migrate()));
        }
        assertTrue(waiting.await(60, TimeUnit.SECONDS), "every worker waits for the lock");

        server.stop(); // ends the holder's session, and every worker's connection
        closeQuietly(holder);
        server.startAgain(); // down for as long as a stop and a start take: a quick restart

        int applied = 0;
        for (Future<MigrateResult> worker : workers) {
            applied += worker.get(120, TimeUnit.SECONDS).applied().size();
        }
        assertEquals(2, applied, "versions 2 and 3, each by one worker");
        assertEquals(List.of("001", "002", "003"), strings("SELECT version FROM schema_migrations ORDER BY 1"));
        assertEquals(List.of("1"), strings("SELECT count(*) FROM effects"));
        long rowsLost = APP_ROWS
                - Long.parseLong(strings("SELECT count(*) FROM app_data").get(0));
        assertEquals(0, rowsLost);
        FaultMatrix.report("PostgreSQL: server restarted while " + WORKERS + " workers wait", 1, 1, rowsLost);
    }

    @Test
    @Timeout(180)
    void workersFailClearlyWhenTheServerStaysDownPastTheLockTimeout() throws Exception {
        Connection holder = holdLock();
        // Processes, as workers are: the threads of one process take turns in memory, so only one
        // of them would meet the server itself.
        Path passwordFile = Files.writeString(dir.resolve("password"), server.password() + "\n");
        List<WorkerProcess> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(WorkerProcess.start(
                    dir,
                    "w" + w,
                    List.of(
                            "migrate",
                            "--quiet",
                            "--url",
                            // Named, so that the wait below can tell the workers' sessions apart.
                            server.url(database) + "?ApplicationName=w" + w,
                            "--user",
                            server.user(),
                            "--password-file",
                            passwordFile.toString(),
                            "--migrations",
                            scripts.toString(),
                            "--owner",
                            "w" + w,
                            "--lock-timeout",
                            "4s"),
                    List.of(driverJar())));
        }
        WorkerProcess.releaseTogether(workers);
        awaitLockWaiters(WORKERS);

        server.stop();
        closeQuietly(holder);
        for (WorkerProcess worker : workers) {
            int exit = worker.awaitExit(60);
            String err = worker.stderr();
            assertEquals(6, exit, err);
            assertTrue(err.contains("could not be reached again after the connection was lost"), err);
            assertTrue(err.contains("nothing of this deploy was committed"), err);
            assertTrue(
                    err.contains("the database was at version [001] when last read")
                            || err.contains("this worker had not read the database's history yet"),
                    err);
        }
        server.startAgain();

        assertEquals(List.of("001"), strings("SELECT version FROM schema_migrations ORDER BY 1"));
        MigrateResult rerun =
                Migrator.create(config("rerun", Duration.ofSeconds(10)).build()).migrate();
        assertEquals(2, rerun.applied().size());
        assertEquals(List.of("1"), strings("SELECT count(*) FROM effects"));
        long rowsLost = APP_ROWS
                - Long.parseLong(strings("SELECT count(*) FROM app_data").get(0));
        assertEquals(0, rowsLost);
        FaultMatrix.report(
                "PostgreSQL: server down past the lock timeout while " + WORKERS + " workers wait", 1, 1, rowsLost);
    }

    // Another session holds Lockstep's lock, as an earlier deploy would.
    private Connection holdLock() throws SQLException {
        Connection connection = server.connect(database);
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("SELECT pg_advisory_xact_lock(" + PostgresDatabase.lockKey("public") + ")");
        }
        return connection;
    }

    // Polls until each worker process has tried the lock: a session named as a worker (the
    // workers' URLs set ApplicationName) ran the try, seen at least once. Counting the sessions
    // of the database was not enough: this test's own polling connections linger there for a
    // moment after they close, so the count was reached before every worker had connected, and
    // the server stopped then met a worker that had reached nothing yet ("cannot be reached"
    // for "could not be reached again"; two full runs on 2026-12-01).
    private void awaitLockWaiters(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> tried = new HashSet<>();
        while (true) {
            tried.addAll(strings("SELECT application_name FROM pg_stat_activity WHERE datname = '" + database + "'"
                    + " AND application_name LIKE 'w_' AND query LIKE '%pg_try_advisory_xact_lock%'"));
            if (tried.size() >= count) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the workers never waited: " + tried);
            Thread.onSpinWait();
        }
    }

    private static Path driverJar() throws Exception {
        return Path.of(org.postgresql.Driver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = server.connect(database);
                Statement statement = connection.createStatement();
                var rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Its server is gone.
        }
    }

    /** Counts a worker down the first time it waits for the lock. */
    private static final class FirstWait implements MigrationListener {
        private final CountDownLatch waiting;
        private boolean counted;

        FirstWait(CountDownLatch waiting) {
            this.waiting = waiting;
        }

        @Override
        public synchronized void lockBusy(Duration waited, int attempts) {
            if (!counted) {
                counted = true;
                waiting.countDown();
            }
        }
    }
}

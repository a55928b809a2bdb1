package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.PendingMigration;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/** The protocol's verbs other than a plain migrate, on a real SQLite file. */
final class ProtocolOnSqliteTest {
    @TempDir
    Path dir;

    private String url;
    private List<MigrationScript> scripts;

    @BeforeEach
    void writeScripts() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("app.db");
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);\n");
        Files.writeString(folder.resolve("002_b.sql"), "CREATE TABLE b (x);\n");
        Files.writeString(folder.resolve("003_c.sql"), "CREATE TABLE c (x);\n");
        scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
    }

    private MigrationProtocol protocol(
            MigrationVersion target, MigrationListener listener, Duration timeout, Sleeper sleeper) {
        return new MigrationProtocol(
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty())),
                Clock.systemUTC(),
                sleeper,
                Backoff.DEFAULT,
                Turns.PROCESS,
                MigrationProtocol.Settings.of(config(target, listener, timeout), "tester"));
    }

    private MigrationConfig config(MigrationVersion target, MigrationListener listener, Duration timeout) {
        MigrationConfig.Builder builder = MigrationConfig.builder()
                .url(url)
                .location(dir)
                .listener(listener)
                .lockTimeout(timeout);
        return (target == null ? builder : builder.target(target)).build();
    }

    private MigrationProtocol protocol() {
        return protocol(null, MigrationListener.NONE, Duration.ofSeconds(10), Sleeper.SYSTEM);
    }

    @Test
    void targetStopsAtTheGivenVersionAndTheRestFollowsLater() {
        MigrateResult first = protocol(
                        MigrationVersion.parse("2"), MigrationListener.NONE, Duration.ofSeconds(10), Sleeper.SYSTEM)
                .migrate(scripts, new SplittableRandom(1));
        MigrateResult rest = protocol().migrate(scripts, new SplittableRandom(1));

        assertEquals(
                List.of("001", "002"),
                first.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(
                List.of("003"),
                rest.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(3, protocol().readHistory(new SplittableRandom(1)).rows().size());
    }

    @Test
    void dryRunPlansUnderTheLockAndChangesNothing() {
        List<PendingMigration> plan = protocol().dryRun(scripts, new SplittableRandom(1));

        assertEquals(
                List.of(
                        new PendingMigration(Optional.of(MigrationVersion.parse("001")), "a", "001_a.sql", 2),
                        new PendingMigration(Optional.of(MigrationVersion.parse("002")), "b", "002_b.sql", 1),
                        new PendingMigration(Optional.of(MigrationVersion.parse("003")), "c", "003_c.sql", 1)),
                plan);
        assertEquals(HistorySnapshot.ABSENT, protocol().readHistory(new SplittableRandom(1)));
        protocol().migrate(scripts, new SplittableRandom(1));
        assertEquals(List.of(), protocol().dryRun(scripts, new SplittableRandom(1)));
    }

    @Test
    void baselineRecordsScriptsUpToTheVersionWithoutRunningThemAndOnlyOnce() throws Exception {
        execute("CREATE TABLE legacy (x)");

        MigrateResult baseline = protocol().baseline(scripts, MigrationVersion.parse("2"), new SplittableRandom(1));
        DatabaseException again = assertThrows(
                DatabaseException.class,
                () -> protocol().baseline(scripts, MigrationVersion.parse("3"), new SplittableRandom(1)));
        MigrateResult migrate = protocol().migrate(scripts, new SplittableRandom(1));

        assertEquals(
                List.of("001", "002"),
                baseline.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(DatabaseException.Reason.BASELINE_REFUSED, again.reason());
        assertEquals(
                List.of("003"),
                migrate.applied().stream().map(AppliedMigration::name).toList());
    }

    @Test
    void baselineBelowEveryScriptIsRefused() throws Exception {
        execute("CREATE TABLE legacy (x)");

        DatabaseException refused = assertThrows(
                DatabaseException.class,
                () -> protocol().baseline(scripts, MigrationVersion.parse("0.5"), new SplittableRandom(1)));

        assertTrue(refused.getMessage().contains("no script"), refused.getMessage());
    }

    @Test
    void listenerHearsEveryStatementAndEveryBusyAttempt() throws Exception {
        List<String> heard = new ArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                heard.add("start " + version.orElseThrow() + " " + statements);
            }

            @Override
            public void statementCompleted(
                    Optional<MigrationVersion> version, int statement, int statements, Duration elapsed) {
                assertTrue(!elapsed.isNegative() && elapsed.toSeconds() < 60, elapsed.toString());
                heard.add(version.orElseThrow() + " " + statement + "/" + statements);
            }

            @Override
            public void lockBusy(Duration waited, int attempts) {
                heard.add("busy");
            }
        };
        try (Connection holder = DriverManager.getConnection(url);
                Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            LockTimeoutException timeout = assertThrows(
                    LockTimeoutException.class,
                    () -> protocol(null, listener, Duration.ofMillis(200), Sleeper.SYSTEM)
                            .migrate(scripts, new SplittableRandom(1)));
            assertTrue(timeout.waited().toMillis() >= 200 && timeout.attempts() > 1, timeout.getMessage());
            lock.execute("ROLLBACK");
        }
        assertTrue(heard.stream().allMatch("busy"::equals) && heard.size() > 1, heard.toString());
        heard.clear();

        protocol(null, listener, Duration.ofSeconds(10), Sleeper.SYSTEM).migrate(scripts, new SplittableRandom(1));

        assertEquals(
                List.of("start 001 2", "001 1/2", "001 2/2", "start 002 1", "002 1/1", "start 003 1", "003 1/1"),
                heard);
    }

    @Test
    void interruptedWaitRestoresTheFlagAndReportsHowLongItWaited() throws Exception {
        // A real interrupt of a waiting thread: on Linux it waits on the database's files, not in the sleeper.
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        MigrationListener listener = new MigrationListener() {
            @Override
            public void lockBusy(Duration waited, int attempts) {
                waiting.countDown();
            }
        };
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flag = new java.util.concurrent.atomic.AtomicBoolean();
        try (Connection holder = DriverManager.getConnection(url);
                Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            try {
                Thread worker = new Thread(() -> {
                    try {
                        protocol(null, listener, Duration.ofSeconds(30), Sleeper.SYSTEM)
                                .migrate(scripts, new SplittableRandom(1));
                    } catch (Throwable t) {
                        thrown.set(t);
                        flag.set(Thread.currentThread().isInterrupted());
                    }
                });
                worker.start();
                assertTrue(waiting.await(20, java.util.concurrent.TimeUnit.SECONDS), "the worker never waited");
                worker.interrupt();
                worker.join(20_000);

                MigrationInterruptedException e = assertInstanceOf(MigrationInterruptedException.class, thrown.get());
                assertTrue(
                        !e.waited().isNegative() && e.waited().compareTo(Duration.ofSeconds(20)) < 0,
                        e.waited().toString());
                assertTrue(flag.get(), "interrupt flag not restored");
            } finally {
                lock.execute("ROLLBACK");
            }
        }
    }

    @Test
    void lockWaitsAreLoggedAtDebugThenInfoAsTheWaitGrows() throws Exception {
        List<java.util.logging.Level> levels;
        try (ProtocolLog log = ProtocolLog.capture();
                Connection holder = DriverManager.getConnection(url);
                Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            assertThrows(
                    LockTimeoutException.class,
                    () -> protocol(null, MigrationListener.NONE, Duration.ofMillis(1_000), Sleeper.SYSTEM)
                            .migrate(scripts, new SplittableRandom(1)));
            lock.execute("ROLLBACK");
            levels = log.records().stream()
                    .filter(record -> record.getMessage().startsWith("Waiting for the migration lock"))
                    .map(java.util.logging.LogRecord::getLevel)
                    .toList();
        }

        // Notices at 100, 200 and 400 ms of waiting are DEBUG; the one at 800 ms is INFO.
        assertEquals(
                List.of(
                        java.util.logging.Level.FINE,
                        java.util.logging.Level.FINE,
                        java.util.logging.Level.FINE,
                        java.util.logging.Level.INFO),
                levels);
    }

    @Test
    void foreignKeyViolationOfOneMigrationFailsItNamingTheRow() throws Exception {
        execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
        execute("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))");
        Path folder = Files.createDirectories(dir.resolve("fk"));
        Files.writeString(folder.resolve("001_orphan.sql"), "INSERT INTO child VALUES (5, 77);\n");
        List<MigrationScript> orphan = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));

        org.lockstep.MigrationFailedException failure = assertThrows(
                org.lockstep.MigrationFailedException.class, () -> protocol().migrate(orphan, new SplittableRandom(1)));

        assertTrue(failure.getMessage().contains("it left table [child] row [5]"), failure.getMessage());
        assertEquals(0, failure.line());
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

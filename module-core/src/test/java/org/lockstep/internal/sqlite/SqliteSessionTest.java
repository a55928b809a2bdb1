package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;

/** The SQLite session on a real file: what it changes on a connection it gives back, and what it checks. */
final class SqliteSessionTest {
    @TempDir
    Path dir;

    private Connection physical;
    // Every foreign_key_check the sessions ran, in order.
    private final List<String> checks = new java.util.ArrayList<>();
    private SqliteDatabase database;

    /** Hands out the one physical connection, as a pool would; close() gives it back. */
    @BeforeEach
    void openPooledConnection() throws SQLException {
        physical = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
        ConnectionSource pool = new ConnectionSource() {
            @Override
            public Connection open() {
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("close")) {
                                return null;
                            }
                            if (method.getName().equals("createStatement")) {
                                return counting((java.sql.Statement) method.invoke(physical, args));
                            }
                            try {
                                return method.invoke(physical, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public String describe() {
                return "pool";
            }
        };
        database = new SqliteDatabase(pool, new HistoryName("schema_migrations", Optional.empty()));
    }

    @AfterEach
    void closeConnection() throws SQLException {
        physical.close();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aSessionThatWaitedOnTheFilesGivesItsWatchBackWhenClosed() throws Exception {
        long before = CommitWatchTest.inotifyInstances();
        for (int i = 0; i < 5; i++) {
            try (Session session = database.open()) {
                session.readHistory();
                session.pauseForCommit(Duration.ofMillis(1), Duration.ofMillis(1), duration -> {
                    throw new AssertionError("polled: the wait should watch the files");
                });
            }
        }
        CommitWatch.awaitClosed(); // given back off the session's thread
        assertEquals(before, CommitWatchTest.inotifyInstances());
    }

    @Test
    void connectionComesBackWithForeignKeysBusyTimeoutAndAutoCommitAsFound() throws Exception {
        run("PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 4321");
        physical.setAutoCommit(false);

        try (Session session = database.open()) {
            assertTrue(physical.getAutoCommit(), "the session drives transactions with SQL in auto-commit mode");
            session.readHistory();
            session.lock(Duration.ofSeconds(1));
            assertEquals(0, pragma("foreign_keys"), "foreign keys must be off while migrating");
            session.createHistoryTable();
            session.commit();
        }

        assertFalse(physical.getAutoCommit());
        physical.setAutoCommit(true);
        assertEquals(1, pragma("foreign_keys"));
        assertEquals(4321, pragma("busy_timeout"));
    }

    @Test
    void foreignKeysLeftOffStayOffAndAnOpenTransactionIsRolledBackOnClose() throws Exception {
        run("PRAGMA busy_timeout = 0");
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            session.execute(new SqlStatement("CREATE TABLE t (x)", 1));
        }

        assertEquals(0, pragma("foreign_keys"));
        assertEquals(0, count("SELECT count(*) FROM sqlite_master WHERE name = 't'"));
    }

    @Test
    void onlyViolationsTheTransactionIntroducedAreReported() throws Exception {
        run(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))",
                "INSERT INTO child VALUES (1, 41)");
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            assertEquals(List.of(), session.integrityViolations(), "nothing ran yet");
            session.execute(new SqlStatement("INSERT INTO parent VALUES (7)", 1));
            assertEquals(List.of(), session.integrityViolations(), "the old orphan is not this deploy's");
            session.execute(new SqlStatement("INSERT INTO child VALUES (2, 42)", 2));
            assertEquals(
                    List.of("table [child] row [2] references a missing row of [parent] (foreign key 0: p=42)"),
                    session.integrityViolations());
        }
    }

    @Test
    void anOrphanWrittenByATriggerOfTheChangedTableFailsTheCheck() throws Exception {
        run(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))",
                "CREATE TABLE events (x)",
                "CREATE TRIGGER log AFTER INSERT ON events BEGIN INSERT INTO child VALUES (NULL, 404); END");
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            session.execute(new SqlStatement("INSERT INTO events VALUES (1)", 1));
            assertEquals(1, session.integrityViolations().size(), "the trigger's write is checked too");
        }
    }

    @Test
    void aDeployThatChangesNoTableChecksNoForeignKey() throws Exception {
        run(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))",
                "INSERT INTO child VALUES (1, 99)");
        checks.clear();
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            session.execute(new SqlStatement("CREATE INDEX child_p ON child (p)", 1));
            assertEquals(List.of(), session.integrityViolations());
        }
        assertEquals(List.of(), checks, "no foreign_key_check ran for a deploy that changes no table's rows");
    }

    @Test
    void aDeployToOneTableChecksItAndItsRelationsOnly() throws Exception {
        run(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))",
                "CREATE TABLE other_parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE other_child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES other_parent (id))");
        checks.clear();
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            session.execute(new SqlStatement("DELETE FROM parent", 1));
            session.integrityViolations();
        }
        assertEquals(
                List.of(
                        "PRAGMA main.foreign_key_check(\"parent\")",
                        "PRAGMA main.foreign_key_check(\"child\")",
                        "PRAGMA main.foreign_key_check(\"parent\")",
                        "PRAGMA main.foreign_key_check(\"child\")"),
                checks,
                "before and after, the changed parent and its child; never the unrelated tables");
    }

    @Test
    void manyViolationsAreSummarisedAfterTen() throws Exception {
        run(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))");
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            for (int i = 1; i <= 12; i++) {
                session.execute(new SqlStatement("INSERT INTO child VALUES (" + i + ", " + (90 + i) + ")", i));
            }
            List<String> violations = session.integrityViolations();
            assertEquals(11, violations.size());
            assertEquals("and [2] more", violations.get(10));
        }
    }

    @Test
    void orphansWithTheSameValuesAreOneLineThatCountsThem() throws Exception {
        run(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))",
                "INSERT INTO child VALUES (1, 99)");
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            session.execute(new SqlStatement("INSERT INTO child VALUES (2, 99)", 1));
            session.execute(new SqlStatement("INSERT INTO child VALUES (3, 99)", 2));
            assertEquals(
                    List.of("table [child] row [1] references a missing row of [parent] (foreign key 0: p=99)"
                            + " and [1] more rows like it"),
                    session.integrityViolations(),
                    "two new orphans with the value of an old one: two more than before");
        }
    }

    @Test
    void historyTableOfAnotherShapeIsRefusedAndLeftAlone() throws Exception {
        run("CREATE TABLE schema_migrations (id INTEGER, name TEXT)");

        DatabaseException refused;
        try (Session session = database.open()) {
            refused = assertThrows(DatabaseException.class, session::readHistory);
        }

        assertEquals(DatabaseException.Reason.HISTORY_TABLE_SHAPE, refused.reason());
        assertTrue(refused.getMessage().contains("[id, name]"), refused.getMessage());
        run("BEGIN", "ROLLBACK"); // the failed read left no transaction open on the pooled connection
    }

    @Test
    void lockAttemptFailsAtOnceWhateverBusyTimeoutTheConnectionHadAndTheHolderNeverWaitsInSqlite() throws Exception {
        run("PRAGMA busy_timeout = 5000");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
                Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            try (Session session = database.open()) {
                long start = System.nanoTime();
                SQLException busy = assertThrows(SQLException.class, () -> session.lock(Duration.ofSeconds(1)));
                assertTrue(database.isBusy(busy), busy.toString());
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "waited for the busy timeout");
            }
            lock.execute("ROLLBACK");
        }
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            assertEquals(0, pragma("busy_timeout"), "the protocol, not SQLite, waits for readers at commit");
        }
        assertEquals(5000, pragma("busy_timeout"));
    }

    @Test
    void theTokenOfTheLastReadMovesOnlyWhenAnotherConnectionCommits() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
                Statement writer = other.createStatement();
                Session session = database.open()) {
            assertTrue(session.tokenOfLastRead().isEmpty(), "no read yet");
            session.readHistory();
            long empty = session.tokenOfLastRead().orElseThrow(); // a first deploy's waiters have one too
            assertEquals(empty, session.changeToken(), "nothing committed since the read of the empty database");
            writer.execute("CREATE TABLE app (x)");
            assertNotEquals(empty, session.changeToken(), "the first commit moves it");
            session.readHistory();
            long read = session.tokenOfLastRead().orElseThrow();
            assertEquals(read, session.changeToken(), "nothing committed since the read");

            writer.execute("BEGIN IMMEDIATE");
            writer.execute("CREATE TABLE t (x)");
            writer.execute("ROLLBACK");
            assertEquals(read, session.changeToken(), "a rollback is no commit: the history is as read");

            writer.execute("CREATE TABLE t (x)");
            assertNotEquals(read, session.changeToken(), "another connection committed");
            session.readHistory();
            assertEquals(session.changeToken(), session.tokenOfLastRead().orElseThrow(), "the new read has seen it");
        }
    }

    @Test
    void readFailsAtOnceWhileAnotherConnectionHoldsTheExclusiveLock() throws Exception {
        run("PRAGMA busy_timeout = 5000");
        try (Connection other =
                        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db") + "?journal_mode=delete");
                Statement lock = other.createStatement()) {
            lock.execute("BEGIN EXCLUSIVE");
            try (Session session = database.open()) {
                long start = System.nanoTime();
                SQLException busy = assertThrows(SQLException.class, session::readHistory);
                assertTrue(database.isBusy(busy), busy.toString());
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "waited for the busy timeout");
            }
            lock.execute("ROLLBACK");
        }
    }

    // A statement that records the foreign-key checks it runs.
    private java.sql.Statement counting(java.sql.Statement statement) {
        return (java.sql.Statement) Proxy.newProxyInstance(
                java.sql.Statement.class.getClassLoader(),
                new Class<?>[] {java.sql.Statement.class},
                (proxy, method, args) -> {
                    if (args != null
                            && args.length > 0
                            && args[0] instanceof String sql
                            && sql.startsWith("PRAGMA main.foreign_key_check")) {
                        checks.add(sql);
                    }
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void closingTheSessionClosesItsConnection() throws Exception {
        Connection[] opened = new Connection[1];
        SqliteDatabase direct = new SqliteDatabase(
                new ConnectionSource() {
                    @Override
                    public Connection open() throws SQLException {
                        opened[0] = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("app.db"));
                        return opened[0];
                    }

                    @Override
                    public String describe() {
                        return "direct";
                    }
                },
                new HistoryName("schema_migrations", Optional.empty()));

        try (Session session = direct.open()) {
            session.readHistory();
        }

        assertTrue(opened[0].isClosed());
    }

    private void run(String... sql) throws SQLException {
        try (Statement statement = physical.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private int pragma(String name) throws SQLException {
        return (int) count("PRAGMA " + name);
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = physical.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void lockRefusesAFileDeletedOrReplacedSinceTheSessionOpenedIt() throws Exception {
        Path file = dir.resolve("moved.db");
        SqliteDatabase direct = new SqliteDatabase(
                ConnectionSource.of("jdbc:sqlite:" + file, null, null),
                new HistoryName("schema_migrations", Optional.empty()));
        try (Session session = direct.open()) {
            session.readHistory();
            java.nio.file.Files.copy(file, dir.resolve("copy.db"));
            java.nio.file.Files.move(dir.resolve("copy.db"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            DatabaseException replaced = assertThrows(DatabaseException.class, () -> session.lock(Duration.ZERO));

            assertEquals(DatabaseException.Reason.DATABASE_REPLACED, replaced.reason());
            assertTrue(replaced.getMessage().contains("replaced by another file"), replaced.getMessage());
        }
        try (Session session = direct.open()) {
            session.readHistory();
            java.nio.file.Files.delete(file);

            DatabaseException deleted = assertThrows(DatabaseException.class, () -> session.lock(Duration.ZERO));

            assertEquals(DatabaseException.Reason.DATABASE_REPLACED, deleted.reason());
            assertTrue(deleted.getMessage().contains("was deleted"), deleted.getMessage());
        }
    }
}

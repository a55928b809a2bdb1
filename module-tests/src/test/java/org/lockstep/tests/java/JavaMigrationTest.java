package org.lockstep.tests.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.JavaMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.PendingMigration;
import org.lockstep.tests.fixture.CodeMigration;

/**
 * Java migrations through the API: interleaved with the scripts by version in the deploy's
 * transaction, recorded under their class name; a connection that refuses to end the
 * transaction; failures that name class and version; version clashes refused before the
 * database is opened; services found through a class loader's {@code META-INF/services}; and
 * connection initializers run on every connection Lockstep opens.
 */
final class JavaMigrationTest {
    @TempDir
    Path dir;

    private Path database;
    private Path scripts;

    @BeforeEach
    void writeScripts() throws Exception {
        database = dir.resolve("app.db");
        scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_users.sql"),
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                        + "INSERT INTO users (name) VALUES ('Ada Lovelace'), ('Grace Hopper');\n");
        Files.writeString(scripts.resolve("003_index.sql"), "CREATE INDEX users_last ON users (last);\n");
    }

    private MigrationConfig.Builder config() {
        return MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .owner("tester");
    }

    private List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static JavaMigration migration(String version, CodeMigration.Work work) {
        return CodeMigration.of(version, "java " + version, work);
    }

    private static List<String> names(MigrateResult result) {
        return result.applied().stream().map(AppliedMigration::name).toList();
    }

    @Test
    void aJavaMigrationRunsBetweenTheScriptsByVersionAndTheHistoryNamesItsClass() throws Exception {
        Migrator migrator =
                Migrator.create(config().javaMigration(new V2SplitNames()).build());

        List<PendingMigration> plan = migrator.dryRun();
        MigrateResult result = migrator.migrate();
        MigrateResult again = migrator.migrate();

        assertEquals(
                new PendingMigration(
                        Optional.of(MigrationVersion.parse("2")), "split names", V2SplitNames.class.getName(), 1),
                plan.get(1));
        assertEquals(List.of("001", "2", "003"), names(result));
        assertEquals(V2SplitNames.class.getName(), result.applied().get(1).script());
        assertEquals(
                List.of("Ada|Lovelace", "Grace|Hopper"), query("SELECT first || '|' || last FROM users ORDER BY id"));
        assertEquals(
                List.of("001_users.sql|SQL", V2SplitNames.class.getName() + "|JAVA", "003_index.sql|SQL"),
                query("SELECT script || '|' || type FROM schema_migrations ORDER BY applied_rank"));
        assertTrue(again.wasUpToDate());
        MigrationInfo info = migrator.status().get(1);
        assertEquals(MigrationState.APPLIED, info.state());
        assertEquals(V2SplitNames.class.getName(), info.script());
        migrator.validate();
    }

    @Test
    void driftRefusesAHistoryWithAJavaMigrationNamingIt() {
        Migrator migrator =
                Migrator.create(config().javaMigration(new V2SplitNames()).build());
        migrator.migrate();

        DatabaseException refused = assertThrows(DatabaseException.class, migrator::drift);

        assertEquals(DatabaseException.Reason.UNSUPPORTED, refused.reason());
        assertTrue(refused.getMessage().contains("[" + V2SplitNames.class.getName() + "]"), refused.getMessage());
    }

    @Test
    void aJavaMigrationThatCallsCommitFailsTheDeployAndChangesNothing() throws Exception {
        Migrator.create(config().target(MigrationVersion.parse("1")).build()).migrate();
        byte[] before = Files.readAllBytes(database);
        JavaMigration committing = migration("2", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE users ADD COLUMN first TEXT");
                statement.execute("ALTER TABLE users ADD COLUMN last TEXT");
            }
            connection.commit();
        });

        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                // The record of the failed attempt off, so the file must be byte for byte as it was.
                () -> Migrator.create(config().failureWindow(Duration.ZERO)
                                .javaMigration(committing)
                                .build())
                        .migrate());

        assertEquals(Optional.of(MigrationVersion.parse("2")), failed.version());
        assertEquals(committing.getClass().getName(), failed.script());
        assertEquals("25000", failed.sqlState());
        assertTrue(
                failed.getMessage()
                        .startsWith("Migration [2] failed in Java migration ["
                                + committing.getClass().getName() + "]: "),
                failed.getMessage());
        assertTrue(
                failed.getMessage().contains("may not call Connection.commit(): Lockstep commits"),
                failed.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(database)), "the failed deploy changed the file");
        assertEquals(List.of("001"), query("SELECT version FROM schema_migrations"));
    }

    @Test
    void theConnectionRefusesEveryWayToEndTheTransactionEvenWhenTheRefusalIsSwallowed() throws Exception {
        Map<String, CodeMigration.Work> calls = Map.of(
                "rollback", Connection::rollback,
                "setAutoCommit", connection -> connection.setAutoCommit(true),
                "setSavepoint", Connection::setSavepoint,
                "close", Connection::close,
                "unwrap", connection -> connection.unwrap(Connection.class));
        for (Map.Entry<String, CodeMigration.Work> call : calls.entrySet()) {
            Path fresh = dir.resolve(call.getKey() + ".db");
            List<String> refusals = new ArrayList<>();
            JavaMigration swallowing = migration("2", connection -> {
                try {
                    call.getValue().run(connection);
                } catch (SQLException refused) {
                    refusals.add(refused.getMessage());
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE after_refusal (x INTEGER)");
                }
            });

            MigrationFailedException failed = assertThrows(
                    MigrationFailedException.class,
                    () -> Migrator.create(config().url("jdbc:sqlite:" + fresh)
                                    .javaMigration(swallowing)
                                    .build())
                            .migrate(),
                    call.getKey());

            assertEquals(1, refusals.size(), call.getKey());
            assertTrue(refusals.get(0).contains("may not call Connection." + call.getKey() + "()"), refusals.get(0));
            assertTrue(failed.getMessage().contains("caught the refusal"), failed.getMessage());
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + fresh);
                    ResultSet rs = connection
                            .createStatement()
                            .executeQuery("SELECT count(*) FROM sqlite_master"
                                    + " WHERE name <> 'schema_migrations_failures'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), call.getKey() + ": nothing of the deploy remains");
            }
        }
    }

    @Test
    void aThrowingJavaMigrationRollsTheDeployBackAndTheErrorNamesClassAndVersion() throws Exception {
        JavaMigration throwing = migration("2", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE half_done (x INTEGER)");
            }
            throw new IllegalStateException("cannot split [Plato]");
        });

        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(config().javaMigration(throwing).build()).migrate());

        assertEquals(
                "Migration [2] failed in Java migration [" + throwing.getClass().getName()
                        + "]: java.lang.IllegalStateException: cannot split [Plato]",
                failed.getMessage());
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        // Nothing of the deploy is left: only the record of the failed attempt, naming the class.
        assertEquals(List.of("schema_migrations_failures"), query("SELECT name FROM sqlite_master"));
        assertTrue(query("SELECT message FROM schema_migrations_failures")
                .get(0)
                .contains(throwing.getClass().getName()));
    }

    @Test
    void aJavaMigrationWithAScriptsVersionIsRefusedBeforeTheDatabaseIsOpened() throws Exception {
        Files.writeString(scripts.resolve("002_names.sql"), "SELECT 1;\n");
        Migrator migrator =
                Migrator.create(config().javaMigration(new V2SplitNames()).build());

        InvalidScriptException clash = assertThrows(InvalidScriptException.class, migrator::migrate);
        assertThrows(InvalidScriptException.class, migrator::status);

        assertEquals(
                "Duplicate version [2] in Java migration [" + V2SplitNames.class.getName() + "] and script ["
                        + scripts.resolve("002_names.sql") + "]",
                clash.getMessage());
        assertFalse(Files.exists(database), "the database was opened");
    }

    @Test
    void servicesOnTheClassPathAreFoundAndTheInitializerServesTheScripts() throws Exception {
        Files.writeString(
                scripts.resolve("004_normalized.sql"),
                "UPDATE users SET name = normalize('Ame\u0301lie Nothomb') WHERE id = 2;\n");

        MigrateResult result = Migrator.create(config().services(JavaMigrationTest.class.getClassLoader())
                        .build())
                .migrate();

        assertEquals(List.of("001", "2", "003", "004"), names(result));
        assertEquals(List.of("Am\u00e9lie Nothomb"), query("SELECT name FROM users WHERE id = 2"));
    }

    @Test
    void anInitializerRunsOnEveryConnectionAndItsFailureNamesItsClass() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        Migrator counting = Migrator.create(config().javaMigration(new V2SplitNames())
                .connectionInitializer(connection -> opened.incrementAndGet())
                .build());
        counting.migrate();
        int afterMigrate = opened.get();
        counting.status();

        assertTrue(afterMigrate >= 1, "no connection was initialized");
        assertTrue(opened.get() > afterMigrate, "status opened a connection the initializer did not see");

        MigrationConfig failing =
                config().connectionInitializer(new FailingInitializer()).build();
        DatabaseException failed = assertThrows(
                DatabaseException.class, () -> Migrator.create(failing).status());
        assertTrue(
                failed.getMessage()
                        .startsWith("Connection initializer [" + FailingInitializer.class.getName() + "] failed"),
                failed.getMessage());
    }

    private static final class FailingInitializer implements org.lockstep.ConnectionInitializer {
        @Override
        public void initialize(Connection connection) throws SQLException {
            throw new SQLException("no such extension: unicode");
        }
    }
}

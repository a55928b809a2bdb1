package org.lockstep.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.PendingMigration;

/** Adopting Lockstep on a live database (baseline), staged deploys (target) and dry runs. */
final class StagedDeployTest {
    @TempDir
    Path dir;

    private Path database;
    private Path scripts;

    @BeforeEach
    void writeScripts() throws Exception {
        database = dir.resolve("app.db");
        scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);");
        Files.writeString(
                scripts.resolve("002_posts.sql"),
                "CREATE TABLE posts (id INTEGER PRIMARY KEY);\nINSERT INTO posts VALUES (1);");
        Files.writeString(scripts.resolve("003_tags.sql"), "CREATE TABLE tags (id INTEGER PRIMARY KEY);");
    }

    private MigrationConfig.Builder config() {
        return MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .owner("tester");
    }

    @Test
    void targetAppliesPendingMigrationsUpToTheGivenVersionOnly() throws Exception {
        MigrateResult first = Migrator.create(
                        config().target(MigrationVersion.parse("2")).build())
                .migrate();

        assertEquals(List.of("001", "002"), versions(first));
        assertEquals(List.of("001", "002"), query("SELECT version FROM schema_migrations ORDER BY version"));
        assertEquals(List.of(), query("SELECT name FROM sqlite_master WHERE name = 'tags'"));

        MigrateResult rest = Migrator.create(config().build()).migrate();
        assertEquals(List.of("003"), versions(rest));
    }

    @Test
    void dryRunReportsThePlanWithStatementCountsAndChangesNothing() throws Exception {
        Migrator.create(config().target(MigrationVersion.parse("1")).build()).migrate();
        byte[] before = Files.readAllBytes(database);

        List<PendingMigration> plan = Migrator.create(config().build()).dryRun();

        assertEquals(
                List.of(
                        new PendingMigration(Optional.of(MigrationVersion.parse("002")), "posts", "002_posts.sql", 2),
                        new PendingMigration(Optional.of(MigrationVersion.parse("003")), "tags", "003_tags.sql", 1)),
                plan);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(database)), "dry run changed the file");
    }

    @Test
    void baselineRecordsExistingSchemaAsAppliedThenMigrateAppliesOnlyLaterScripts() throws Exception {
        execute("CREATE TABLE users (id INTEGER PRIMARY KEY)", "CREATE TABLE posts (id INTEGER PRIMARY KEY)");

        MigrateResult baseline = Migrator.create(config().build()).baseline(MigrationVersion.parse("2"));
        MigrateResult migrate = Migrator.create(config().build()).migrate();

        assertEquals(List.of("001", "002"), versions(baseline));
        assertEquals(List.of("003"), versions(migrate));
        assertEquals(
                List.of("0", "0", "1"),
                query("SELECT execution_ms > 0 OR version = '003' FROM schema_migrations" + " ORDER BY version"));
        assertEquals(List.of(), query("SELECT id FROM posts"), "a baselined script must not run");
    }

    @Test
    void baselineIsRefusedOnceAHistoryExistsAndChangesNothing() throws Exception {
        Migrator.create(config().build()).migrate();
        byte[] before = Files.readAllBytes(database);

        DatabaseException refused = assertThrows(
                DatabaseException.class, () -> Migrator.create(config().build()).baseline(MigrationVersion.parse("3")));

        assertEquals(DatabaseException.Reason.BASELINE_REFUSED, refused.reason());
        assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(database)));
    }

    @Test
    void baselineIsRefusedOnADatabaseWithoutTables() {
        DatabaseException refused = assertThrows(
                DatabaseException.class, () -> Migrator.create(config().build()).baseline(MigrationVersion.parse("1")));

        assertEquals(DatabaseException.Reason.BASELINE_REFUSED, refused.reason());
        assertTrue(refused.getMessage().contains("no tables"), refused.getMessage());
    }

    private static List<String> versions(MigrateResult result) {
        return result.applied().stream().map(AppliedMigration::name).toList();
    }

    private List<String> query(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private void execute(String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }
}

package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DatabaseException;
import org.lockstep.DriftReport;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.Migrator;
import org.lockstep.SchemaDifference;
import org.lockstep.ValidationFailedException;

/** Drift finds what was changed by hand, and nothing else; it reads without the write lock. */
final class DriftTest {
    @TempDir
    Path dir;

    private Path database;

    private Migrator migrated() {
        database = dir.resolve("shop.db");
        Migrator migrator = migrator("jdbc:sqlite:" + database);
        migrator.migrate();
        return migrator;
    }

    private static Migrator migrator(String url) {
        return Migrator.create(MigrationConfig.builder()
                .url(url)
                .location(new MigrationLocation.ClassLoaderResources(
                        DriftTest.class.getClassLoader(), "org/lockstep/tests/lint/shop"))
                .build());
    }

    private void byHand(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void databaseLockstepMigratedHasNoDrift() {
        DriftReport report = migrated().drift();

        assertTrue(report.matches(), report::toString);
        assertEquals(8, report.replayed().size());
    }

    @Test
    void aRepeatableScriptIsReplayedAsItWasLastAppliedAndAnEditNotYetDeployedIsRefused() throws Exception {
        database = dir.resolve("views.db");
        Path scripts = Files.createDirectories(dir.resolve("views"));
        Files.writeString(scripts.resolve("001_notes.sql"), "CREATE TABLE notes (id INTEGER PRIMARY KEY, t TEXT);\n");
        Path views = scripts.resolve("R__views.sql");
        Files.writeString(views, "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id FROM notes;\n");
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .build();
        Migrator.create(config).migrate();
        Files.writeString(views, "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id, t FROM notes;\n");
        Migrator.create(config).migrate();

        DriftReport report = Migrator.create(config).drift();
        Files.writeString(views, "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT t FROM notes;\n");
        ValidationFailedException edited = assertThrows(
                ValidationFailedException.class, () -> Migrator.create(config).drift());

        assertTrue(report.matches(), report::toString);
        assertTrue(edited.getMessage().contains("edited after it was last applied"), edited.getMessage());
    }

    @Test
    void indexAddedByHandIsExtra() throws Exception {
        Migrator migrator = migrated();
        byHand("CREATE INDEX orders_by_total ON orders (total)");

        List<SchemaDifference> differences = migrator.drift().differences();

        assertEquals(
                List.of(new SchemaDifference(
                        SchemaDifference.Kind.EXTRA,
                        "index",
                        "orders_by_total",
                        "CREATE INDEX orders_by_total ON orders (total)")),
                differences);
        assertEquals(
                "Index [orders_by_total] is in the database but no applied script makes it:"
                        + " CREATE INDEX orders_by_total ON orders (total)",
                differences.get(0).message());
    }

    @Test
    void columnDroppedByHandIsNamed() throws Exception {
        Migrator migrator = migrated();
        byHand("ALTER TABLE customers DROP COLUMN phone");

        List<SchemaDifference> differences = migrator.drift().differences();

        assertEquals(1, differences.size(), differences::toString);
        SchemaDifference difference = differences.get(0);
        assertEquals(SchemaDifference.Kind.DIFFERENT, difference.kind());
        assertEquals("table", difference.type());
        assertEquals("customers", difference.name());
        assertEquals("column [phone] is missing", difference.detail());
    }

    @Test
    void editedTriggerDiffersAndMissingViewIsMissing() throws Exception {
        Migrator migrator = migrated();
        byHand(
                "DROP TRIGGER products_fts_delete",
                "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN SELECT 1; END",
                "DROP VIEW open_orders");

        List<SchemaDifference> differences = migrator.drift().differences();

        assertEquals(2, differences.size(), differences::toString);
        assertEquals(SchemaDifference.Kind.DIFFERENT, differences.get(0).kind());
        assertEquals("products_fts_delete", differences.get(0).name());
        assertTrue(differences.get(0).detail().contains("SELECT 1"), differences.get(0)::toString);
        assertEquals(SchemaDifference.Kind.MISSING, differences.get(1).kind());
        assertEquals("open_orders", differences.get(1).name());
    }

    @Test
    void changedColumnSaysHow() throws Exception {
        Migrator migrator = migrated();
        // A hand-made rebuild of daily_totals that drops NOT NULL and the default.
        byHand(
                "CREATE TABLE daily_totals_new (day TEXT PRIMARY KEY, total INTEGER) STRICT",
                "INSERT INTO daily_totals_new SELECT * FROM daily_totals",
                "DROP TABLE daily_totals",
                "ALTER TABLE daily_totals_new RENAME TO daily_totals");

        List<SchemaDifference> differences = migrator.drift().differences();

        assertEquals(1, differences.size(), differences::toString);
        assertEquals(
                "column [total]: no longer NOT NULL, default [0] -> [null]",
                differences.get(0).detail());
    }

    @Test
    @Timeout(30)
    void driftReadsWhileAnotherConnectionHoldsTheWriteLockAndChangesNothing() throws Exception {
        Migrator migrator = migrated();
        byHand("CREATE INDEX orders_by_total ON orders (total)");
        byte[] before = Files.readAllBytes(database);
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("INSERT INTO daily_totals (day, total) VALUES ('2026-01-01', 1)");

            DriftReport report = migrator.drift();

            assertEquals(1, report.differences().size(), report::toString);
            statement.execute("ROLLBACK");
        }
        assertArrayEquals(before, Files.readAllBytes(database));
    }

    @Test
    void databaseThatDoesNotExistIsNotCreated() {
        Path absent = dir.resolve("absent.db");

        DriftReport report = migrator("jdbc:sqlite:" + absent).drift();

        assertTrue(report.matches());
        assertFalse(Files.exists(absent));
    }

    @Test
    void editedAppliedScriptIsAValidationFailure() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);");
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("a.db"))
                .location(folder)
                .build();
        Migrator.create(config).migrate();
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x, y);");

        ValidationFailedException failure = assertThrows(
                ValidationFailedException.class, () -> Migrator.create(config).drift());

        assertTrue(failure.getMessage().contains("drift replays the applied scripts"), failure::getMessage);
    }

    @Test
    void postgresqlIsNotSupportedYetAndSaysSo() {
        Migrator postgres = migrator("jdbc:postgresql://127.0.0.1:1/app");

        DatabaseException drift = assertThrows(DatabaseException.class, postgres::drift);
        DatabaseException lint = assertThrows(DatabaseException.class, postgres::lint);

        assertEquals(DatabaseException.Reason.UNSUPPORTED, drift.reason());
        assertTrue(drift.getMessage().startsWith("Drift is not supported for PostgreSQL yet"), drift::getMessage);
        assertEquals(DatabaseException.Reason.UNSUPPORTED, lint.reason());
        assertTrue(lint.getMessage().contains("checks SQLite scripts only"), lint::getMessage);
    }
}

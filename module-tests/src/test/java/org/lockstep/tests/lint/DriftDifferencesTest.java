package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.DriftReport;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;
import org.lockstep.SchemaDifference;

/** Each part of a table drift compares, changed by hand in a rebuild that changes nothing else. */
final class DriftDifferencesTest {
    private static final String SCHEMA = """
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id), n INTEGER CHECK (n > 0));
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> rebuilds() {
        return Stream.of(
                Arguments.of(
                        "a foreign key dropped",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER, n INTEGER CHECK (n > 0))",
                        "foreign key (p) REFERENCES parent (id) is missing"),
                Arguments.of(
                        "a foreign key added",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id),"
                                + " n INTEGER CHECK (n > 0) REFERENCES parent (id))",
                        "foreign key (n) REFERENCES parent (id) is extra"),
                Arguments.of(
                        "a check dropped",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id), n INTEGER)",
                        "CHECK (n > 0) on column [n] is missing"),
                Arguments.of(
                        "a check added",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id),"
                                + " n INTEGER CHECK (n > 0) CHECK (n < 9))",
                        "CHECK (n < 9) on column [n] is extra"),
                Arguments.of(
                        "made STRICT",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id),"
                                + " n INTEGER CHECK (n > 0)) STRICT",
                        "is STRICT"),
                Arguments.of(
                        "made WITHOUT ROWID",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id),"
                                + " n INTEGER CHECK (n > 0)) WITHOUT ROWID",
                        "is WITHOUT ROWID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebuilds")
    void aTableRebuiltByHandWithOneChangeShowsThatChange(String name, String create, String expected) throws Exception {
        Migrator migrator = migrated(SCHEMA);
        byHand("PRAGMA foreign_keys = OFF", "DROP TABLE t", create);

        DriftReport report = migrator.drift();

        List<String> details =
                report.differences().stream().map(SchemaDifference::detail).toList();
        assertEquals(1, details.size(), report::toString);
        assertTrue(details.get(0).contains(expected), details::toString);
    }

    @Test
    void aTableRebuiltByHandAsItWasShowsNothing() throws Exception {
        Migrator migrator = migrated(SCHEMA);
        byHand(
                "PRAGMA foreign_keys = OFF",
                "DROP TABLE t",
                "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id), n INTEGER CHECK (n > 0))");

        assertTrue(migrator.drift().matches());
    }

    @Test
    void aVirtualTableAndATableNamedLikeItsShadowTablesAreReadForWhatTheyAre() throws Exception {
        Migrator migrator = migrated("CREATE VIRTUAL TABLE docs USING fts5(body);\n"
                + "CREATE TABLE docs_notes (id INTEGER PRIMARY KEY, note TEXT);\n");
        assertTrue(migrator.drift().matches(), () -> migrator.drift().toString());

        byHand("ALTER TABLE docs_notes ADD COLUMN extra TEXT");

        DriftReport report = migrator.drift();
        assertEquals(1, report.differences().size(), report::toString);
        assertEquals("docs_notes", report.differences().get(0).name(), report::toString);
    }

    private Path database;

    private Migrator migrated(String script) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(scripts.resolve("001_schema.sql"), script);
        database = dir.resolve("app.db");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .build());
        migrator.migrate();
        return migrator;
    }

    private void byHand(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}

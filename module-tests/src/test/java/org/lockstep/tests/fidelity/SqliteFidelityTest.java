package org.lockstep.tests.fidelity;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/** Scripts that real applications write, and databases in the states real machines leave them. */
final class SqliteFidelityTest {
    private static final List<String> HISTORY =
            List.of("001_schema.sql", "002_search.sql", "003_data.sql", "004_rebuild_authors.sql", "005_views.sql");

    @TempDir
    Path dir;

    private Path scripts() throws Exception {
        return ShellReplay.copyHistory(getClass(), "history", HISTORY, dir);
    }

    private static MigrationConfig.Builder config(String url, Path scripts) {
        return MigrationConfig.builder().url(url).location(scripts).owner("fidelity");
    }

    @Test
    void realisticHistoryAppliesReappliesAndEqualsWhatTheSqliteShellProduces() throws Exception {
        Path scripts = scripts();
        Path viaLockstep = dir.resolve("lockstep.db");
        Path viaShell = dir.resolve("shell.db");
        String url = "jdbc:sqlite:" + viaLockstep + "?foreign_keys=true";

        MigrateResult first = Migrator.create(config(url, scripts).build()).migrate();
        MigrateResult second = Migrator.create(config(url, scripts).build()).migrate();
        ShellReplay.runWithShell(viaShell, scripts, HISTORY);

        assertEquals(5, first.applied().size());
        assertTrue(second.wasUpToDate());
        assertEquals(dump(viaShell), dump(viaLockstep));
        assertEquals(
                List.of("2"),
                strings(viaLockstep, "SELECT count(*) FROM posts"),
                "the authors rebuild must not cascade-delete posts");
        assertEquals(
                List.of("Notes; on the engine"),
                strings(viaLockstep, "SELECT title FROM posts_fts WHERE posts_fts MATCH 'engine'"));
        assertEquals(List.of("1"), strings(viaLockstep + "?foreign_keys=true", "PRAGMA foreign_keys"));
    }

    @Test
    void rebuildingAParentWithCascadingChildrenKeepsEveryChildRow() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(
                scripts.resolve("001_tables.sql"),
                "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
                        + "CREATE TABLE child (id INTEGER PRIMARY KEY,"
                        + " parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\n"
                        + "INSERT INTO parent VALUES (1, 'a'), (2, 'b');\n"
                        + "INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);\n");
        Files.writeString(
                scripts.resolve("002_rebuild_parent.sql"),
                "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''));\n"
                        + "INSERT INTO parent_new SELECT * FROM parent;\n"
                        + "DROP TABLE parent;\n"
                        + "ALTER TABLE parent_new RENAME TO parent;\n");
        String url = "jdbc:sqlite:" + database + "?foreign_keys=true";

        Migrator.create(config(url, scripts).build()).migrate();

        assertEquals(List.of("10", "11", "12"), strings(database, "SELECT id FROM child ORDER BY id"));
        assertEquals(List.of(), strings(database, "PRAGMA foreign_key_check"));
    }

    @Test
    void scriptThatLeavesAnOrphanRowFailsNamingTableRowAndParentAndChangesNothing() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(
                scripts.resolve("001_tables.sql"),
                "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
                        + "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));\n"
                        + "INSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (10, 1);\n");
        String url = "jdbc:sqlite:" + database + "?foreign_keys=true";
        Migrator.create(config(url, scripts).build()).migrate();
        Files.writeString(scripts.resolve("002_orphan.sql"), "INSERT INTO child VALUES (11, 99);\n");
        Files.writeString(scripts.resolve("003_more.sql"), "CREATE TABLE later (x);\n");
        byte[] before = Files.readAllBytes(database);

        // With the failure record off, a failed deploy leaves the file byte for byte as it was.
        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(config(url, scripts)
                                .failureWindow(java.time.Duration.ZERO)
                                .build())
                        .migrate());

        // Checked once before commit: the failure names the whole deploy and the last script.
        assertEquals("003", failure.version().orElseThrow().toString());
        assertTrue(failure.getMessage().contains("[002_orphan.sql, 003_more.sql]"), failure.getMessage());
        assertTrue(
                failure.getMessage().contains("table [child] row [11] references a missing row of [parent]"),
                failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(database));
    }

    @Test
    void orphansThatExistedBeforeTheDeployDoNotFailIt() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        execute(
                database,
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))",
                "INSERT INTO child VALUES (1, 42)");
        Files.writeString(scripts.resolve("001_index.sql"), "CREATE INDEX child_parent ON child (parent_id);\n");

        MigrateResult result = Migrator.create(
                        config("jdbc:sqlite:" + database, scripts).build())
                .migrate();

        assertEquals(1, result.applied().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "VACUUM",
                "PRAGMA journal_mode = WAL",
                "pragma main.journal_mode=delete",
                "PRAGMA foreign_keys",
                "BEGIN",
                "BEGIN IMMEDIATE TRANSACTION",
                "COMMIT",
                "END TRANSACTION",
                "SAVEPOINT s1",
                "RELEASE s1",
                "ROLLBACK",
                "ATTACH DATABASE 'other.db' AS other",
                "DETACH other"
            })
    void statementsThatCannotRunInATransactionAreRefusedWithFileAndLineBeforeTheDatabaseIsOpened(String statement)
            throws Exception {
        Path database = dir.resolve("never-created.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(scripts.resolve("001_ok.sql"), "CREATE TABLE t (x);\n");
        Files.writeString(
                scripts.resolve("002_bad.sql"), "-- harmless first\nINSERT INTO t VALUES (1);\n\n" + statement + ";\n");

        InvalidScriptException refused = assertThrows(
                InvalidScriptException.class,
                () -> Migrator.create(config("jdbc:sqlite:" + database, scripts).build())
                        .migrate());

        assertTrue(
                refused.getMessage().contains("002_bad.sql")
                        && refused.getMessage().contains("line [4]"),
                refused.getMessage());
        assertFalse(Files.exists(database), "the database was opened");
    }

    @Test
    void triggerBodiesAndStringsMentioningTransactionWordsAreNotRefused() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(
                scripts.resolve("001_ok.sql"),
                "CREATE TABLE t (x);\n"
                        + "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 'COMMIT; VACUUM'; END;\n"
                        + "INSERT INTO t VALUES ('BEGIN');\n");

        MigrateResult result = Migrator.create(
                        config("jdbc:sqlite:" + dir.resolve("a.db"), scripts).build())
                .migrate();

        assertEquals(1, result.applied().size());
    }

    @Test
    void truncatedDatabaseIsADistinctErrorAndStaysByteIdentical() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = scripts();
        Migrator.create(config("jdbc:sqlite:" + database, scripts).build()).migrate();
        byte[] whole = Files.readAllBytes(database);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 3);
        Files.write(database, truncated);
        Files.writeString(scripts.resolve("006_more.sql"), "CREATE TABLE more (x);\n");

        DatabaseException failure = assertThrows(
                DatabaseException.class,
                () -> Migrator.create(config("jdbc:sqlite:" + database, scripts).build())
                        .migrate());

        assertEquals(DatabaseException.Reason.CORRUPT, failure.reason(), failure.getMessage());
        assertTrue(failure.getMessage().contains(database.toString()), failure.getMessage());
        assertArrayEquals(truncated, Files.readAllBytes(database));
    }

    @Test
    void corruptedHeaderIsNotADatabaseAndStaysByteIdentical() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = scripts();
        Migrator.create(config("jdbc:sqlite:" + database, scripts).build()).migrate();
        byte[] bytes = Files.readAllBytes(database);
        bytes[0] = 'X';
        bytes[5] = 'Y';
        Files.write(database, bytes);

        DatabaseException failure = assertThrows(
                DatabaseException.class,
                () -> Migrator.create(config("jdbc:sqlite:" + database, scripts).build())
                        .migrate());

        assertEquals(DatabaseException.Reason.NOT_A_DATABASE, failure.reason(), failure.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(database));
    }

    @Test
    void readOnlyDatabaseWithPendingWorkIsADistinctErrorAndStaysByteIdentical() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = scripts();
        Migrator.create(config("jdbc:sqlite:" + database, scripts).build()).migrate();
        Files.writeString(scripts.resolve("006_more.sql"), "CREATE TABLE more (x);\n");
        byte[] before = Files.readAllBytes(database);

        DatabaseException failure = assertThrows(
                DatabaseException.class,
                () -> Migrator.create(config("jdbc:sqlite:file:" + database + "?mode=ro", scripts)
                                .build())
                        .migrate());

        assertEquals(DatabaseException.Reason.READ_ONLY, failure.reason(), failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(database));
    }

    // The FTS index's shadow tables hold its pages, which need not be byte-identical.
    private static String dump(Path database) throws Exception {
        return ShellReplay.dump(database, "name NOT LIKE 'posts_fts%'") + "view: "
                + ShellReplay.rows(database, "SELECT * FROM post_summaries ORDER BY id");
    }

    private static List<String> strings(Object database, String sql) throws Exception {
        return ShellReplay.strings(database, sql);
    }

    private static void execute(Path database, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }
}

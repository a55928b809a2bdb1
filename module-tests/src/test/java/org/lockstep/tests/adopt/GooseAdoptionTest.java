package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Adopting goose's history. goose is a Go tool and cannot run here, so its table is made
 * exactly as {@code CreateTable} in {@code internal/dialect/dialectquery/sqlite3.go} creates it,
 * with goose's own first row {@code (0, 1)} and a row per up and down as {@code InsertVersion}
 * writes them ({@code tstamp} left to its default).
 */
final class GooseAdoptionTest {
    // internal/dialect/dialectquery/sqlite3.go, CreateTable
    private static final String CREATE = """
            CREATE TABLE goose_db_version (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    version_id INTEGER NOT NULL,
                    is_applied INTEGER NOT NULL,
                    tstamp TIMESTAMP DEFAULT (datetime('now'))
                )""";
    private static final String INSERT = "INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)";

    @TempDir
    Path root;

    private ForeignDatabase db;

    @BeforeEach
    void migrateAsGooseDoes() {
        db = new ForeignDatabase(root);
        db.script("00001_create_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
        db.script("00002_create_posts.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
        db.script("00003_create_tags.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n");
        db.execute(CREATE);
        db.update(INSERT, 0, 1);
        for (int version = 1; version <= 3; version++) {
            db.runScript(String.format(
                    "%05d_%s.sql",
                    version,
                    List.of("create_users", "create_posts", "create_tags").get(version - 1)));
            db.update(INSERT, version, 1);
        }
        db.execute("DROP TABLE tags");
        db.update(INSERT, 3, 0); // goose down 3, as goose before v3.16 recorded it
    }

    @Test
    void theLatestRowOfEachVersionDecidesAndARolledBackVersionStaysPending() {
        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertEquals(List.of("00001", "00002"), db.column("SELECT version FROM schema_migrations ORDER BY version"));
        assertTrue(adopt.out().contains("Not recorded 3 version 3: rolled back by goose down"), adopt::toString);
        assertTrue(adopt.out().contains("goose keeps no checksums"), adopt::toString);
        assertEquals(
                db.column("SELECT tstamp FROM goose_db_version WHERE version_id = 1")
                                .get(0)
                                .replace(' ', 'T') + "Z",
                db.column("SELECT applied_at FROM schema_migrations WHERE version = '00001'")
                        .get(0));

        Workspace.Run migrate = db.lockstep("migrate");

        assertEquals(
                List.of("Applied 00003 create tags"),
                migrate.outLinesStartingWith("Applied ").stream()
                        .map(line -> line.replaceAll(" \\(\\d+ ms\\)", ""))
                        .toList());
        assertEquals(0, db.lockstep("validate").exitCode());
    }

    @Test
    void aVersionGooseAppliedWithoutAScriptHereIsRefusedNamingIt() throws Exception {
        java.nio.file.Files.delete(db.workspace().migrations().resolve("00002_create_posts.sql"));
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("Migration [2] was applied by goose"), adopt::toString);
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, db.bytes());
    }

    @Test
    void versionsGooseAppliedOutOfOrderAreRecordedAndReportedInVersionOrder() throws Exception {
        java.nio.file.Path other = java.nio.file.Files.createDirectories(root.resolve("out-of-order"));
        ForeignDatabase outOfOrder = new ForeignDatabase(other);
        for (String name : List.of("00001_a.sql", "00002_b.sql", "00003_c.sql")) {
            outOfOrder.script(name, "CREATE TABLE t" + name.charAt(4) + " (x);\n");
        }
        outOfOrder.execute(CREATE);
        outOfOrder.update(INSERT, 0, 1);
        for (int version : List.of(3, 1, 2)) { // goose up --allow-missing, as a branch merged late
            outOfOrder.update(INSERT, version, 1);
        }
        org.lockstep.Migrator migrator = org.lockstep.Migrator.create(org.lockstep.MigrationConfig.builder()
                .url(outOfOrder.url())
                .location(outOfOrder.workspace().migrations())
                .build());

        org.lockstep.AdoptResult first = migrator.adopt(org.lockstep.AdoptFrom.detect());
        org.lockstep.AdoptResult again = migrator.adopt(org.lockstep.AdoptFrom.detect());

        assertEquals(List.of("00001", "00002", "00003"), names(first.adopted()));
        assertEquals(
                List.of("00001", "00002", "00003"),
                outOfOrder.column("SELECT version FROM schema_migrations ORDER BY applied_rank"),
                "ranked in version order");
        assertEquals(List.of(), again.adopted());
        assertEquals(List.of("00001", "00002", "00003"), names(again.alreadyRecorded()));

        for (String name : List.of("00001_a.sql", "00003_c.sql")) {
            java.nio.file.Files.delete(outOfOrder.workspace().migrations().resolve(name));
        }
        java.nio.file.Files.delete(outOfOrder.database());
        outOfOrder.execute(CREATE);
        for (int version : List.of(3, 1, 2)) {
            outOfOrder.update(INSERT, version, 1);
        }
        org.lockstep.ValidationFailedException missing = org.junit.jupiter.api.Assertions.assertThrows(
                org.lockstep.ValidationFailedException.class, () -> migrator.adopt(org.lockstep.AdoptFrom.detect()));
        assertEquals(
                List.of("1", "3"),
                missing.problems().stream()
                        .map(problem -> problem.version().orElseThrow().toString())
                        .toList());
    }

    private static List<String> names(List<org.lockstep.AppliedMigration> applied) {
        return applied.stream().map(org.lockstep.AppliedMigration::name).toList();
    }
}

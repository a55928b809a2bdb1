package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Adopting golang-migrate's history, whose table holds Lockstep's default history-table name.
 * golang-migrate is a Go tool and cannot run here, so its table is made exactly as
 * {@code ensureVersionTable} in {@code database/sqlite3/sqlite3.go} creates it, and its one row
 * written as {@code SetVersion} there writes it (delete, then insert {@code (version, dirty)}).
 */
final class GolangMigrateAdoptionTest {
    // database/sqlite3/sqlite3.go, ensureVersionTable
    private static final String[] CREATE = {
        "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool)",
        "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)"
    };

    @TempDir
    Path root;

    private ForeignDatabase db;

    @BeforeEach
    void migrateAsGolangMigrateDoes() {
        db = new ForeignDatabase(root);
        // golang-migrate's file names; the .down.sql files are left out of Lockstep's folder.
        db.script("000001_create_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
        db.script("000002_create_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
        db.script("000003_create_tags.up.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n");
        db.execute(CREATE);
        db.runScript("000001_create_users.up.sql");
        db.runScript("000002_create_posts.up.sql");
        setVersion(2, false);
    }

    private void setVersion(int version, boolean dirty) {
        db.execute("DELETE FROM schema_migrations");
        db.update("INSERT INTO schema_migrations (version, dirty) VALUES (?, ?)", version, dirty);
    }

    @Test
    void itsTableHoldsLockstepsHistoryNameSoAdoptSaysWhichToolAndHowAndWritesNothing() {
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt");
        Workspace.Run migrate = db.lockstep("migrate");

        assertEquals(2, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("It looks like golang-migrate's history"), adopt::toString);
        assertTrue(adopt.err().contains("--history-table lockstep_history"), adopt::toString);
        assertEquals(2, migrate.exitCode(), migrate::toString);
        assertTrue(migrate.err().contains("It looks like golang-migrate's history"), migrate::toString);
        assertArrayEquals(before, db.bytes());
    }

    @Test
    void adoptIntoAnotherTableRecordsEveryVersionUpToItsOneAndMigrateAppliesTheRest() {
        Workspace.Run adopt = db.lockstep("adopt", "--history-table", "lockstep_history");

        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertEquals(List.of("000001", "000002"), db.column("SELECT version FROM lockstep_history ORDER BY version"));
        assertEquals(List.of(List.of("2", "0")), db.rows("SELECT version, dirty FROM schema_migrations"));

        Workspace.Run migrate = db.lockstep("migrate", "--history-table", "lockstep_history");

        assertEquals(1, migrate.outLinesStartingWith("Applied 000003").size(), migrate::toString);
        assertEquals(
                0,
                db.lockstep("validate", "--history-table", "lockstep_history").exitCode());
    }

    @Test
    void aDirtyDatabaseIsRefusedWithWhatToDoAndStaysByteIdentical() {
        setVersion(2, true);
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt", "--history-table", "lockstep_history");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("golang-migrate marks version [2] dirty"), adopt::toString);
        assertTrue(adopt.err().contains("migrate force"), adopt::toString);
        assertArrayEquals(before, db.bytes());
    }

    @Test
    void aVersionNoScriptHereHasIsRefused() {
        setVersion(7, false);

        Workspace.Run adopt = db.lockstep("adopt", "--history-table", "lockstep_history");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("Migration [7] was applied by golang-migrate"), adopt::toString);
    }
}

package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Adopting dbmate's history. dbmate is a Go tool and cannot run here, so its table is made
 * exactly as {@code CreateMigrationsTable} in {@code pkg/driver/sqlite/internal/sqlite.go}
 * creates it (the name quoted as {@code quoteIdentifier} quotes it), filled as
 * {@code InsertMigration} there fills it.
 */
final class DbmateAdoptionTest {
    @TempDir
    Path root;

    @Test
    void adoptIntoAnotherTableRecordsEachVersionDbmateApplied() {
        ForeignDatabase db = new ForeignDatabase(root);
        db.script("20151129054053_create_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
        db.script("20151129054100_create_posts.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
        // pkg/driver/sqlite/internal/sqlite.go, CreateMigrationsTable and InsertMigration
        db.execute("create table if not exists \"schema_migrations\" (version varchar(128) primary key)");
        db.runScript("20151129054053_create_users.sql");
        db.update("insert into \"schema_migrations\" (version) values (?)", "20151129054053");

        Workspace.Run occupied = db.lockstep("adopt");
        Workspace.Run adopt = db.lockstep("adopt", "--history-table", "lockstep_history");
        Workspace.Run migrate = db.lockstep("migrate", "--history-table", "lockstep_history");

        assertEquals(2, occupied.exitCode(), occupied::toString);
        assertTrue(occupied.err().contains("It looks like dbmate's history (or Rails')"), occupied::toString);
        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertEquals(
                List.of("20151129054053"),
                db.column(
                        "SELECT version FROM lockstep_history WHERE applied_by" + " LIKE 'adopted from dbmate by %'"));
        assertEquals(1, migrate.outLinesStartingWith("Applied 20151129054100").size(), migrate::toString);
        assertEquals(List.of("20151129054053"), db.column("SELECT version FROM schema_migrations"));
    }
}

package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AdoptFrom;
import org.lockstep.AdoptResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;
import org.lockstep.tests.cli.Workspace;

/** Which history adopt reads, what it refuses to guess, and that adoptions at once record each version once. */
final class AdoptionRequestTest {
    @TempDir
    Path root;

    private ForeignDatabase gooseAndDbmate() {
        ForeignDatabase db = new ForeignDatabase(root);
        db.script("00001_create_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
        db.runScript("00001_create_users.sql");
        db.execute(
                "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL,"
                        + " is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))",
                "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1)",
                "create table if not exists \"schema_migrations\" (version varchar(128) primary key)",
                "insert into \"schema_migrations\" (version) values ('00001')");
        return db;
    }

    @Test
    void twoToolsHistoriesAreRefusedUntilOneIsChosen() {
        ForeignDatabase db = gooseAndDbmate();
        byte[] before = db.bytes();

        Workspace.Run guessed = db.lockstep("adopt", "--history-table", "lockstep_history");
        byte[] afterRefusal = db.bytes();
        Workspace.Run chosen = db.lockstep("adopt", "--history-table", "lockstep_history", "--from", "goose");

        assertEquals(2, guessed.exitCode(), guessed::toString);
        assertTrue(
                guessed.err().contains("holds the histories of [goose [goose_db_version], dbmate"), guessed::toString);
        assertTrue(guessed.err().contains("--from TOOL"), guessed::toString);
        assertEquals(0, chosen.exitCode(), chosen::toString);
        assertTrue(chosen.out().contains("from goose's history goose_db_version"), chosen::toString);
        assertArrayEquals(before, afterRefusal);
    }

    @Test
    void aDatabaseWithNoOtherHistoryIsRefusedNamingWhatWasLookedFor() {
        ForeignDatabase db = new ForeignDatabase(root);
        db.script("001_a.sql", "CREATE TABLE a (x);\n");
        db.execute("CREATE TABLE a (x)");

        Workspace.Run adopt = db.lockstep("adopt");
        Workspace.Run badTool = db.lockstep("adopt", "--from", "liquibase");
        Workspace.Run tableAlone = db.lockstep("adopt", "--from-table", "history");

        assertEquals(2, adopt.exitCode(), adopt::toString);
        assertTrue(
                adopt.err().contains("no history of flyway, sqlx, goose, golang-migrate or dbmate"), adopt::toString);
        assertEquals(2, badTool.exitCode(), badTool::toString);
        assertTrue(badTool.err().contains("[liquibase] is not one of"), badTool::toString);
        assertEquals(2, tableAlone.exitCode(), tableAlone::toString);
    }

    @Test
    void aRefusalNamesTheTablesItLookedForAndATableOfTheWrongShape() {
        ForeignDatabase db = new ForeignDatabase(root);
        db.script("001_a.sql", "CREATE TABLE a (x);\n");
        db.execute("CREATE TABLE a (x)");

        Workspace.Run anyTool = db.lockstep("adopt");
        Workspace.Run flyway = db.lockstep("adopt", "--from", "flyway");
        Workspace.Run named = db.lockstep("adopt", "--from", "flyway", "--from-table", "deploys");
        db.execute("CREATE TABLE flyway_schema_history (version TEXT, note TEXT)");
        Workspace.Run wrongShape = db.lockstep("adopt", "--from", "flyway");

        assertTrue(
                anyTool.err()
                        .contains("(looked for tables [flyway_schema_history, _sqlx_migrations, goose_db_version,"
                                + " schema_migrations] with that tool's columns)"),
                anyTool::toString);
        assertTrue(
                flyway.err().contains("it holds no history of flyway (looked for tables [flyway_schema_history]"),
                flyway::toString);
        assertTrue(named.err().contains("(looked for tables [deploys]"), named::toString);
        assertTrue(
                wrongShape
                        .err()
                        .contains("table [flyway_schema_history] has columns [version, note], which are not"
                                + " those of flyway's history"),
                wrongShape::toString);
        for (Workspace.Run refused : List.of(anyTool, flyway, named, wrongShape)) {
            assertEquals(2, refused.exitCode(), refused::toString);
        }
    }

    @Test
    void aToolsHistoryUnderAnotherNameIsReadFromTheTableGiven() {
        ForeignDatabase db = new ForeignDatabase(root);
        db.script("1_a.sql", "CREATE TABLE a (x);\n");
        db.runScript("1_a.sql");
        db.execute(
                "CREATE TABLE IF NOT EXISTS app_versions (version uint64,dirty bool)",
                "INSERT INTO app_versions VALUES (1, 0)");

        Workspace.Run adopt = db.lockstep("adopt", "--from", "golang-migrate", "--from-table", "app_versions");

        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertEquals(List.of("1"), db.column("SELECT version FROM schema_migrations"));
    }

    @Test
    void aMissingDatabaseIsRefusedAndNotCreated() {
        ForeignDatabase db = new ForeignDatabase(root);
        db.script("1_a.sql", "CREATE TABLE a (x);\n");

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(2, adopt.exitCode(), adopt::toString);
        assertFalse(Files.exists(db.database()));
    }

    @Test
    @Timeout(120)
    void twentyAdoptionsAtOnceRecordEachVersionOnce() throws Exception {
        ForeignDatabase db = gooseAndDbmate();
        db.execute("DROP TABLE schema_migrations");
        int workers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<AdoptResult>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                Migrator migrator = Migrator.create(MigrationConfig.builder()
                        .url(db.url())
                        .location(db.workspace().migrations())
                        .owner("adopter-" + w)
                        .build());
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return migrator.adopt(AdoptFrom.detect());
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            gate.countDown();
            int recorded = 0;
            for (Future<AdoptResult> future : futures) {
                AdoptResult result = future.get(60, TimeUnit.SECONDS);
                recorded += result.adopted().size();
                assertEquals(
                        1, result.adopted().size() + result.alreadyRecorded().size());
            }
            assertEquals(1, recorded, "one adoption recorded the version, the others found it recorded");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of("00001"), db.column("SELECT version FROM schema_migrations"));
    }
}

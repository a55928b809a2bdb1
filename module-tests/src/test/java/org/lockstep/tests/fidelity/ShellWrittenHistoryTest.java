package org.lockstep.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Histories written for the {@code sqlite3} shell or for a tool that runs each file as it is
 * (golang-migrate without its transaction wrapper) run unchanged: {@code PRAGMA foreign_keys =
 * ON|OFF} anywhere and one {@code BEGIN} ... {@code COMMIT|END} pair around a whole file are
 * skipped, since Lockstep's deploy transaction already is what they ask for, and the result is
 * what the shell makes of the same files run one by one.
 */
final class ShellWrittenHistoryTest {
    private static final List<String> HISTORY = List.of(
            "001_create_users_and_posts.sql",
            "002_rebuild_users.sql",
            "003_rebuild_posts.sql",
            "004_more_posts.sql",
            "005_tags.sql");

    @TempDir
    Path dir;

    private Path scripts() throws Exception {
        return ShellReplay.copyHistory(getClass(), "wrapped", HISTORY, dir);
    }

    @Test
    @Timeout(120)
    void wrappedRebuildsApplyOnceUnderAHerdAndEqualWhatTheShellMakesOfTheSameFiles() throws Exception {
        Path scripts = scripts();
        Path viaLockstep = dir.resolve("lockstep.db");
        Path viaShell = dir.resolve("shell.db");
        ShellReplay.runWithShell(viaShell, scripts, HISTORY, "-bail");

        List<MigrateResult> results = herd(20, "jdbc:sqlite:" + viaLockstep + "?foreign_keys=true", scripts);

        assertEquals(
                HISTORY.size(),
                results.stream().mapToInt(r -> r.applied().size()).sum(),
                "each migration applied by exactly one worker");
        assertEquals(
                List.of("001", "002", "003", "004", "005"),
                strings(viaLockstep, "SELECT version FROM" + " schema_migrations ORDER BY version"));
        assertEquals(ShellReplay.dump(viaShell, "1"), ShellReplay.dump(viaLockstep, "1"));
        assertEquals(List.of("4"), strings(viaLockstep, "SELECT count(*) FROM posts"), "no post was cascaded away");
        assertEquals(List.of(), strings(viaLockstep, "PRAGMA foreign_key_check"));
    }

    @Test
    void theChecksumIsThatOfTheFileAsWritten() throws Exception {
        Path scripts = scripts();
        Path database = dir.resolve("app.db");
        Migrator.create(config("jdbc:sqlite:" + database, scripts).build()).migrate();
        String recorded = strings(database, "SELECT checksum FROM schema_migrations WHERE version = '001'")
                .get(0);

        String ofTheFile = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(scripts.resolve(HISTORY.get(0)))));

        assertEquals(ofTheFile, recorded);
    }

    @Test
    void foreignKeyCheckInAScriptRunsAsAQueryEvenWhenItFindsRows() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))");
            s.execute("INSERT INTO child VALUES (1, 42)"); // an orphan from before Lockstep
        }
        Files.writeString(
                scripts.resolve("001_check.sql"),
                "PRAGMA foreign_key_check;\nCREATE TABLE audit (x);\nPRAGMA foreign_key_check(child);\n");

        MigrateResult result = Migrator.create(
                        config("jdbc:sqlite:" + database, scripts).build())
                .migrate();

        assertEquals(1, result.applied().size());
        assertEquals(
                List.of("table audit"),
                strings(database, "SELECT type || ' ' || name FROM sqlite_master" + " WHERE name = 'audit'"));
    }

    @Test
    void aSecondTransactionInOneFileIsRefusedNamingTheAcceptedShapeAndOpensNothing() throws Exception {
        Path database = dir.resolve("never-created.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(
                scripts.resolve("001_two.sql"),
                "PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE a (x);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (x);\nCOMMIT;\n");

        InvalidScriptException refused = assertThrows(
                InvalidScriptException.class,
                () -> Migrator.create(config("jdbc:sqlite:" + database, scripts).build())
                        .migrate());

        assertTrue(refused.getMessage().contains("001_two.sql] line [5]"), refused.getMessage());
        assertTrue(refused.getMessage().contains("a second transaction in one script"), refused.getMessage());
        assertTrue(
                refused.getMessage().contains("accepted, and skipped, are one BEGIN [TRANSACTION]"),
                refused.getMessage());
        assertTrue(!Files.exists(database), "the database was opened");
    }

    @Test
    void aWrappedFileThatFailsLeavesTheDatabaseAsItWas() throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(scripts.resolve("001_ok.sql"), "CREATE TABLE t (x);\n");
        Migrator.create(config("jdbc:sqlite:" + database, scripts).build()).migrate();
        byte[] before = Files.readAllBytes(database);
        Files.writeString(
                scripts.resolve("002_fails.sql"),
                "PRAGMA foreign_keys=OFF;\nBEGIN;\nINSERT INTO t VALUES (1);\nINSERT INTO missing VALUES (1);\n"
                        + "COMMIT;\nPRAGMA foreign_keys=ON;\n");

        org.lockstep.MigrationFailedException failure = assertThrows(
                org.lockstep.MigrationFailedException.class,
                () -> Migrator.create(config("jdbc:sqlite:" + database, scripts).build())
                        .migrate());

        assertEquals(4, failure.line());
        assertArrayEquals(before, Files.readAllBytes(database));
    }

    private static MigrationConfig.Builder config(String url, Path scripts) {
        return MigrationConfig.builder().url(url).location(scripts).owner("fidelity");
    }

    private static List<MigrateResult> herd(int workers, String url, Path scripts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<MigrateResult>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                Migrator migrator =
                        Migrator.create(config(url, scripts).owner("w" + w).build());
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return migrator.migrate();
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "workers did not start");
            gate.countDown();
            List<MigrateResult> results = new ArrayList<>();
            for (Future<MigrateResult> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "workers did not stop");
        }
    }

    private static List<String> strings(Path database, String sql) throws Exception {
        return ShellReplay.strings(database, sql);
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.DatabaseException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;
import org.sqlite.SQLiteDataSource;

/**
 * Issue 11, item 1: an in-memory database made {@code migrate} apply 001 again on every
 * attempt, forever, because each attempt's new connection was a new, empty database.
 */
final class InMemoryDatabaseMigrateTerminatesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:sqlite::memory:",
                "jdbc:sqlite:",
                "jdbc:sqlite:file::memory:",
                "jdbc:sqlite:file::memory:?cache=shared",
                "jdbc:sqlite:file:lockstep-regression?mode=memory&cache=shared"
            })
    @Timeout(20)
    void migrateAppliesEachScriptOnceAndLaterCallsSeeIt(String url) {
        Fixture fixture = new Fixture(dir)
                .script("001_t.sql", "CREATE TABLE t (a);")
                .script("002_seed.sql", "INSERT INTO t VALUES (1);");
        Migrator migrator = Migrator.create(
                MigrationConfig.builder().url(url).location(fixture.scripts).build());

        MigrateResult first = migrator.migrate();
        MigrateResult second = migrator.migrate();

        assertEquals(2, first.applied().size());
        assertTrue(second.wasUpToDate(), "the second call sees the first one's work");
        assertTrue(migrator.status().stream().allMatch(info -> info.state() == MigrationState.APPLIED));
    }

    @Test
    @Timeout(20)
    void concurrentCallsOfOneMigratorTakeTurnsOnTheInMemoryDatabase() throws Exception {
        Fixture fixture = new Fixture(dir)
                .script("001_t.sql", "CREATE TABLE t (a);")
                .script("002_seed.sql", "INSERT INTO t VALUES (1);");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite::memory:")
                .location(fixture.scripts)
                .build());
        int threads = 4;
        CyclicBarrier gate = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<MigrateResult>> results = pool.invokeAll(java.util.Collections.nCopies(threads, () -> {
                gate.await(10, TimeUnit.SECONDS);
                return migrator.migrate();
            }));
            int applied = 0;
            for (Future<MigrateResult> result : results) {
                applied += result.get(10, TimeUnit.SECONDS).applied().size();
            }
            assertEquals(2, applied, "each script applied once across the threads");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(20)
    void sharedCacheDatabaseIsVisibleToTheApplicationWhileTheMigratorLives() throws Exception {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);\nINSERT INTO t VALUES (7);");
        String url = "jdbc:sqlite:file:lockstep-shared-visible?mode=memory&cache=shared";
        Migrator migrator = Migrator.create(
                MigrationConfig.builder().url(url).location(fixture.scripts).build());
        migrator.migrate();
        try (Connection app = DriverManager.getConnection(url);
                Statement statement = app.createStatement();
                ResultSet rs = statement.executeQuery("SELECT a FROM t")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1));
        }
    }

    @Test
    @Timeout(20)
    void aDataSourceThatLosesEveryCommitFailsAtOnceInsteadOfLooping() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);");
        SQLiteDataSource memory = new SQLiteDataSource();
        memory.setUrl("jdbc:sqlite::memory:");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .dataSource(memory)
                .location(fixture.scripts)
                .build());

        DatabaseException lost = assertThrows(DatabaseException.class, migrator::migrate);

        assertEquals(DatabaseException.Reason.COMMITS_LOST, lost.reason());
        assertTrue(lost.getMessage().contains("lost migration [001]"), lost.getMessage());
    }

    @Test
    @Timeout(20)
    void theCommandMigratesAnInMemoryDatabaseAndExits() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);");
        Fixture.Run run = Fixture.lockstep(
                "migrate",
                "--url",
                "jdbc:sqlite::memory:",
                "--migrations",
                fixture.scripts.toString(),
                "--lock-timeout",
                "1s");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("001"), run.toString());
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockstepException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.sqlite.SQLiteDataSource;

/**
 * Issue 11, item 19: two Migrators of one JVM shared the default owner, so the loser of a race
 * named itself as the winner; and a data source was named by its {@code toString()}.
 */
final class DefaultOwnersDifferPerMigratorTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void theLoserOfARaceBetweenTwoMigratorsOfOneProcessNamesTheOther() throws Exception {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        MigrationConfig.Builder base =
                MigrationConfig.builder().url(fixture.url()).location(fixture.scripts);
        CountDownLatch loserIsWaiting = new CountDownLatch(1);
        Migrator loser = Migrator.create(base.listener(new MigrationListener() {
                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        loserIsWaiting.countDown();
                    }
                })
                .build());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicReference<Future<MigrateResult>> lost = new AtomicReference<>();
        try {
            Migrator winner = Migrator.create(base.listener(new MigrationListener() {
                        @Override
                        public void migrationStarted(
                                Optional<MigrationVersion> version, String script, int statements) {
                            // Holding the lock: start the other Migrator and let it find the lock taken.
                            lost.set(pool.submit(loser::migrate));
                            try {
                                assertTrue(loserIsWaiting.await(10, TimeUnit.SECONDS), "the loser never waited");
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    })
                    .build());
            assertNotEquals(winner.owner(), loser.owner());

            MigrateResult won = winner.migrate();
            MigrateResult waited = lost.get().get(10, TimeUnit.SECONDS);
            assertEquals(1, won.applied().size());
            assertEquals(winner.owner(), won.applied().get(0).appliedBy());
            assertEquals(1, waited.appliedByOthers().size());
            assertEquals(
                    winner.owner(),
                    waited.appliedByOthers().get(0).appliedBy(),
                    "the loser names the winner, not itself");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNamedDataSourceIsCalledByItsNameAndAnUnnamedOneByItsUrl() {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("missing/app.db"));

        LockstepException named = assertThrows(
                LockstepException.class,
                () -> Migrator.create(MigrationConfig.builder()
                                .dataSource(dataSource, "orders (primary)")
                                .location(fixture.scripts)
                                .build())
                        .migrate());
        assertTrue(named.getMessage().contains("[orders (primary)]"), named.getMessage());

        fixture.execute("CREATE TABLE schema_migrations (id INTEGER)");
        SQLiteDataSource existing = new SQLiteDataSource();
        existing.setUrl(fixture.url());
        LockstepException unnamed = assertThrows(
                LockstepException.class,
                () -> Migrator.create(MigrationConfig.builder()
                                .dataSource(existing)
                                .location(fixture.scripts)
                                .build())
                        .migrate());
        assertTrue(unnamed.getMessage().contains(fixture.database.toString()), unnamed.getMessage());
        assertFalse(unnamed.getMessage().contains("SQLiteDataSource@"), unnamed.getMessage());
    }
}

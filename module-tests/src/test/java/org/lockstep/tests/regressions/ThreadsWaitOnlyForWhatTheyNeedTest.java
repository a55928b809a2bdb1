package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * Threads of one process take turns at a database in memory (issue 14). Found by adversarial
 * use on 2026-12-01: private in-memory databases all described themselves as {@code :memory:}
 * and shared one turn, so a call on one waited for another's unrelated deploy and failed with a
 * lock timeout; a call with nothing to do waited behind another thread's long deploy of the same
 * database (or its wait for another process's lock) instead of returning after one read; and an
 * in-memory URL of SQLite's {@code memdb} VFS was taken for a file.
 */
final class ThreadsWaitOnlyForWhatTheyNeedTest {
    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private Path folder(String name, String... scripts) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < scripts.length; i++) {
            Files.writeString(folder.resolve(String.format("%03d_s.sql", i + 1)), scripts[i]);
        }
        return folder;
    }

    // A listener that holds the deploy at its last migration until released.
    private static MigrationListener holdingAt(String script, CountDownLatch started, CountDownLatch release) {
        return new MigrationListener() {
            @Override
            public void migrationStarted(Optional<MigrationVersion> version, String name, int statements) {
                if (name.equals(script)) {
                    started.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    @Test
    @Timeout(60)
    void aPrivateInMemoryDatabaseDoesNotWaitForAnotherOnesDeploy() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Migrator slow = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite::memory:")
                .location(folder("a", "CREATE TABLE a (x);\n"))
                .listener(holdingAt("001_s.sql", started, release))
                .build());
        Future<MigrateResult> held = pool.submit(slow::migrate);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        try {
            MigrateResult other = Migrator.create(MigrationConfig.builder()
                            .url("jdbc:sqlite::memory:")
                            .location(folder("b", "CREATE TABLE b (x);\n"))
                            .lockTimeout(BOUND)
                            .build())
                    .migrate();
            assertEquals(1, other.applied().size(), "its own database, which nobody else holds");
        } finally {
            release.countDown();
        }
        assertEquals(1, held.get(30, TimeUnit.SECONDS).applied().size());
    }

    @Test
    @Timeout(60)
    void aCallWithNothingToDoReturnsWhileAnotherThreadDeploys() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        Migrator.create(MigrationConfig.builder()
                        .url(url)
                        .location(folder("v1", "CREATE TABLE a (x);\n"))
                        .build())
                .migrate();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Migrator deploying = Migrator.create(MigrationConfig.builder()
                .url(url)
                .location(folder("v2", "CREATE TABLE a (x);\n", "CREATE TABLE b (x);\n"))
                .listener(holdingAt("002_s.sql", started, release))
                .build());
        Future<MigrateResult> held = pool.submit(deploying::migrate);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        try {
            // An older release's worker, or one with a target: version 1 is all it has.
            MigrateResult upToDate = Migrator.create(MigrationConfig.builder()
                            .url(url)
                            .location(dir.resolve("v1"))
                            .lockTimeout(BOUND)
                            .build())
                    .migrate();
            assertEquals(List.of(), upToDate.applied());
            assertEquals(0, upToDate.lockAttempts(), "nothing to do: no lock tried");
        } finally {
            release.countDown();
        }
        assertEquals(1, held.get(30, TimeUnit.SECONDS).applied().size());
    }

    @Test
    @Timeout(60)
    void threadsOnAMemdbDatabaseApplyEachMigrationOnce() throws Exception {
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:file:herd?vfs=memdb")
                .location(folder("m", "CREATE TABLE a (x);\n"))
                .build());
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<MigrateResult>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(pool.submit(() -> {
                gate.await();
                return migrator.migrate();
            }));
        }
        gate.countDown();
        int applied = 0;
        for (Future<MigrateResult> call : calls) {
            applied += call.get(30, TimeUnit.SECONDS).applied().size();
        }
        assertEquals(1, applied, "one in-memory database, held on one connection");
        assertEquals(List.of(), migrator.migrate().applied(), "and still there for the next call");
    }
}

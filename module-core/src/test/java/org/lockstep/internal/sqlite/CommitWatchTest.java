package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wait for another connection's commit on the database's files, on Linux where the kernel tells. */
@EnabledOnOs(OS.LINUX)
final class CommitWatchTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"delete", "wal", "truncate", "persist"})
    void aCommitOfAnotherConnectionEndsTheWaitLongBeforeItsBound(String journalMode) throws Exception {
        Path file = dir.resolve("app.db");
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA journal_mode = " + journalMode);
            statement.execute("CREATE TABLE t (x)");
            try (CommitWatch watch = CommitWatch.of(file).orElseThrow()) {
                CountDownLatch waiting = new CountDownLatch(1);
                CountDownLatch woken = new CountDownLatch(1);
                Thread waiter = new Thread(() -> {
                    waiting.countDown();
                    try {
                        watch.await(Duration.ofSeconds(60));
                        woken.countDown();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                waiter.start();
                assertTrue(waiting.await(10, TimeUnit.SECONDS));

                statement.execute("INSERT INTO t VALUES (1)");

                assertTrue(woken.await(30, TimeUnit.SECONDS), "the commit did not end a 60-second wait");
                waiter.join(10_000);
            }
        }
    }

    @Test
    void changesToOtherFilesOfTheFolderDoNotEndTheWait() throws Exception {
        Path file = dir.resolve("app.db");
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = writer.createStatement()) {
            statement.execute("CREATE TABLE t (x)");
        }
        try (CommitWatch watch = CommitWatch.of(file).orElseThrow()) {
            Files.writeString(dir.resolve("app.db.bak"), "another file");
            Files.writeString(dir.resolve("notes.txt"), "another file");
            long start = System.nanoTime();
            watch.await(Duration.ofMillis(300));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "woken by another file");
        }
    }

    @Test
    void aFolderThatIsNotThereCannotBeWatched() {
        assertFalse(CommitWatch.of(dir.resolve("gone").resolve("app.db")).isPresent());
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        Path file = dir.resolve("app.db");
        Files.createFile(file);
        try (CommitWatch watch = CommitWatch.of(file).orElseThrow()) {
            Thread.currentThread().interrupt();
            boolean interrupted = false;
            try {
                watch.await(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                interrupted = true;
            }
            assertTrue(interrupted, "the wait went on after an interrupt");
        }
    }

    @Test
    void aClosedWatchAndAFailedOneGiveTheirInotifyInstanceBack() throws Exception {
        // A process migrates many times over its life; the kernel allows a user 128 inotify
        // instances by default (fs.inotify.max_user_instances), so a leak would end its waits' watches.
        Path file = dir.resolve("app.db");
        Files.createFile(file);
        long before = inotifyInstances();
        for (int i = 0; i < 20; i++) {
            CommitWatch.of(file).orElseThrow().close();
            assertFalse(CommitWatch.of(dir.resolve("gone").resolve("app.db")).isPresent());
        }
        CommitWatch.awaitClosed(); // given back off the closing thread
        assertEquals(before, inotifyInstances());
    }

    // The inotify instances this process has open, from its file descriptors.
    static long inotifyInstances() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors
                    .filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().contains("inotify");
                        } catch (IOException e) {
                            return false; // closed since it was listed (the listing's own descriptor)
                        }
                    })
                    .count();
        }
    }
}

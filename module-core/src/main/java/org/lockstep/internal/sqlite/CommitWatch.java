package org.lockstep.internal.sqlite;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A wait for another connection's commit that costs nothing until the database's files change:
 * the kernel's file events (inotify, through the JDK's {@link WatchService} on Linux) on the
 * database file and its {@code -wal} and {@code -journal} files, which a commit writes in
 * every journal mode. A waiter that watches {@code PRAGMA data_version} every 0.25 ms costs a
 * seventh of a core; twenty of them are more than a small machine has, and the one that must
 * wake queues behind the ones still polling.
 *
 * <p>An event only says that a file changed, not that a commit happened (the holder's journal
 * changes as it works, and the holder may roll back): the caller reads the change token after
 * every wake, and never waits longer than its own bound, so a missed or absent event costs
 * latency, never correctness. Linux only: elsewhere the JDK's watch service polls the folder
 * every few seconds, which is worse than the poll it would replace; there, and wherever the
 * folder cannot be watched, {@link #of} returns empty and the caller polls.
 */
final class CommitWatch implements AutoCloseable {
    // Closes watches off the caller's thread (close).
    private static final ThreadPoolExecutor CLOSER = closer();

    private final WatchService service;
    private final Set<Path> names;

    private CommitWatch(WatchService service, Set<Path> names) {
        this.service = service;
        this.names = names;
    }

    /**
     * Watches the files of the database at {@code file}, if this platform can.
     *
     * @param file the database file
     * @return the watch, or empty if the files cannot be watched here
     */
    static Optional<CommitWatch> of(Path file) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.empty();
        }
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder == null) {
            return Optional.empty();
        }
        String name = absolute.getFileName().toString();
        WatchService service = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            folder.register(
                    service,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return Optional.of(new CommitWatch(
                    service, Set.of(Path.of(name), Path.of(name + "-wal"), Path.of(name + "-journal"))));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            if (service != null) {
                try {
                    service.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Waits until one of the database's files changes, or {@code max} passes.
     *
     * @param max the longest to wait
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void await(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (long left = max.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            WatchKey key;
            try {
                key = service.poll(left, TimeUnit.NANOSECONDS);
            } catch (ClosedWatchServiceException e) {
                return;
            }
            if (key == null) {
                return;
            }
            boolean ours = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                // An overflow lost events: any of them may have been a commit.
                ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || names.contains(event.context());
            }
            key.reset();
            if (ours) {
                return;
            }
        }
    }

    /**
     * Closes the watch on another thread: the kernel lets go of an inotify instance only after a
     * grace period (13–15 ms measured here), and a waiter that found the work done would spend
     * it before returning, after every other thread it published to had returned (bench section
     * 4's p99). The thread is made when needed and ends a second after its last close.
     */
    @Override
    public void close() {
        CLOSER.execute(() -> {
            try {
                service.close();
            } catch (IOException e) {
                // Nothing was waiting on it any more.
            }
        });
    }

    /**
     * Waits until every watch closed before this call is given back to the kernel: for tests
     * that count the process's inotify instances.
     *
     * @throws Exception if the closes did not end within ten seconds
     */
    static void awaitClosed() throws Exception {
        CLOSER.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }

    private static ThreadPoolExecutor closer() {
        ThreadPoolExecutor closer =
                new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "lockstep-commit-watch-closer");
                    thread.setDaemon(true);
                    return thread;
                });
        closer.allowCoreThreadTimeOut(true);
        return closer;
    }
}

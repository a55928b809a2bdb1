package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationLocation;
import org.lockstep.internal.sql.ScriptDialect;

/** Threads of one process that load the same locations at once read them once. */
final class ConcurrentLoadsTest {
    private static final int THREADS = 6;
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    /**
     * A class loader whose scripts folder is {@code dir}, counting the reads of it; the first
     * read waits until every other loading thread is parked (waiting for a read to end) or the
     * patience runs out, so that a read nobody shares is counted once per thread.
     */
    private final class Watching extends ClassLoader {
        final AtomicInteger reads = new AtomicInteger();
        final Set<Thread> loading = ConcurrentHashMap.newKeySet();

        Watching() {
            super(null);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (reads.incrementAndGet() > 1) {
                return Collections.enumeration(List.of(dir.toUri().toURL()));
            }
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (!othersParked() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return Collections.enumeration(List.of(dir.toUri().toURL()));
        }

        private boolean othersParked() {
            if (loading.size() < THREADS) {
                return false;
            }
            for (Thread thread : loading) {
                if (thread != Thread.currentThread() && thread.getState() != Thread.State.WAITING) {
                    return false;
                }
            }
            return true;
        }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    // Two scripts, the second named by the test, loaded by every thread at once.
    private List<Future<List<MigrationScript>>> loadTogether(Watching loader, String second) throws IOException {
        Files.writeString(dir.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        Files.writeString(dir.resolve(second), "CREATE TABLE b (x);\n");
        MigrationLocation location = new MigrationLocation.ClassLoaderResources(loader, "db");
        List<Future<List<MigrationScript>>> loads = new ArrayList<>();
        long called = System.nanoTime(); // the calls began together, before any read
        for (int t = 0; t < THREADS; t++) {
            loads.add(pool.submit(() -> {
                loader.loading.add(Thread.currentThread());
                return ScriptLoader.load(List.of(location), ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE, called);
            }));
        }
        return loads;
    }

    @Test
    void threadsLoadingOneFolderTogetherReadItOnce() throws Exception {
        Watching loader = new Watching();
        for (Future<List<MigrationScript>> load : loadTogether(loader, "002_b.sql")) {
            assertEquals(2, load.get(30, TimeUnit.SECONDS).size());
        }
        assertEquals(1, loader.reads.get(), "reads of one folder by " + THREADS + " threads loading it together");
    }

    @Test
    void aReadThatEndedServesTheCallsThatBeganBeforeItWhileTheyRun() throws Exception {
        Files.writeString(dir.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        AtomicInteger reads = new AtomicInteger();
        List<MigrationLocation> locations = List.of(new MigrationLocation.ClassLoaderResources(counting(reads), "db"));
        long waitedForATurn = ScriptLoader.callBegins(); // a call that began, then waited for another thread
        try {
            long loadedAtOnce = ScriptLoader.callBegins();
            try {
                ScriptLoader.load(locations, ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE, loadedAtOnce);
            } finally {
                ScriptLoader.callEnds();
            }
            Files.writeString(dir.resolve("002_b.sql"), "CREATE TABLE b (x);\n");

            assertEquals(
                    1,
                    ScriptLoader.load(locations, ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE, waitedForATurn)
                            .size(),
                    "what the read made during its call found");
            assertEquals(1, reads.get(), "the call that began before the read took its result");
            assertEquals(1, ScriptLoader.reads(), "kept while a call that may need it runs");
            long late = ScriptLoader.callBegins();
            try {
                assertEquals(
                        2,
                        ScriptLoader.load(locations, ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE, late)
                                .size(),
                        "a call that began after the read finds the script written since");
            } finally {
                ScriptLoader.callEnds();
            }
            assertEquals(2, reads.get());
        } finally {
            ScriptLoader.callEnds();
        }
        assertEquals(0, ScriptLoader.reads(), "nothing kept once no call runs: it would hold the class loader");
    }

    @Test
    void aReadThatEndsWhileNoCallRunsIsNotKept() throws Exception {
        Files.writeString(dir.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        AtomicInteger reads = new AtomicInteger();
        List<MigrationLocation> locations = List.of(new MigrationLocation.ClassLoaderResources(counting(reads), "db"));
        long called = System.nanoTime();
        ScriptLoader.load(locations, ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE, called);
        ScriptLoader.load(locations, ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE, called);
        assertEquals(2, reads.get(), "no call was marked: nobody could be waiting for the first read");
        assertEquals(0, ScriptLoader.reads());
    }

    @Test
    void theReadsKeptForRunningCallsAreBounded() throws Exception {
        long called = ScriptLoader.callBegins();
        try {
            for (int i = 1; i <= 17; i++) {
                Path folder = Files.createDirectories(dir.resolve("f" + i));
                Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
                ScriptLoader.load(
                        List.of(new MigrationLocation.Directory(folder)),
                        ParsedScripts.PROCESS,
                        () -> ScriptDialect.SQLITE,
                        called);
                assertEquals(
                        i <= 16 ? i : 1,
                        ScriptLoader.reads(),
                        "one per set of locations up to the bound; past it, the done reads but the latest dropped");
            }
        } finally {
            ScriptLoader.callEnds();
        }
        assertEquals(0, ScriptLoader.reads());
    }

    // A class loader whose scripts folder is dir, counting the reads of it.
    private ClassLoader counting(AtomicInteger reads) {
        return new ClassLoader(null) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                reads.incrementAndGet();
                return Collections.enumeration(List.of(dir.toUri().toURL()));
            }
        };
    }

    @Test
    void aFailedReadIsMadeAgainByEachThreadThatWaitedForIt() throws Exception {
        Watching loader = new Watching();
        List<Throwable> thrown = new ArrayList<>();
        for (Future<List<MigrationScript>> load : loadTogether(loader, "1_b.sql")) {
            thrown.add(assertThrows(Exception.class, () -> load.get(30, TimeUnit.SECONDS))
                    .getCause());
        }
        for (Throwable e : thrown) {
            assertTrue(e instanceof InvalidScriptException && e.getMessage().contains("Duplicate version [1]"), "" + e);
        }
        assertEquals(THREADS, Set.copyOf(thrown).size(), "each call throws its own exception");
        assertEquals(THREADS, loader.reads.get(), "the failed read, then one by each thread that waited for it");
    }

    @Test
    void aCallThatBeganAfterAReadBeganDoesNotTakeItsResult() throws Exception {
        // A read lists the first folder, then is held listing the second (as a slow disk would
        // hold it); a script is written into the first; a call that begins after that loads it.
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Files.writeString(first.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        Files.writeString(second.resolve("010_c.sql"), "CREATE TABLE c (x);\n");
        CountDownLatch listing = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        ClassLoader held = new ClassLoader(null) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (listing.getCount() > 0) {
                    listing.countDown();
                    try {
                        written.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Collections.enumeration(List.of(second.toUri().toURL()));
            }
        };
        List<MigrationLocation> locations =
                List.of(new MigrationLocation.Directory(first), new MigrationLocation.ClassLoaderResources(held, "db"));
        Future<List<MigrationScript>> early = pool.submit(() -> ScriptLoader.load(locations));
        assertTrue(listing.await(10, TimeUnit.SECONDS));
        Files.writeString(first.resolve("002_b.sql"), "CREATE TABLE b (x);\n");
        Future<List<MigrationScript>> late = pool.submit(() -> ScriptLoader.load(locations));
        try {
            assertEquals(3, late.get(30, TimeUnit.SECONDS).size(), "the script written before the call began");
        } finally {
            written.countDown();
        }
        assertEquals(2, early.get(30, TimeUnit.SECONDS).size(), "the read that listed the folder before");
    }
}

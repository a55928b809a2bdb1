package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.sql.SqlStatement;

final class ParsedScriptsTest {
    private static final int THREADS = 8;

    private static MigrationScript script(String version) {
        return new MigrationScript(
                MigrationVersion.parse(version),
                "a",
                version + "_a.sql",
                "/db/" + version + "_a.sql",
                "c" + version,
                List.of(new SqlStatement("SELECT " + version, 1)));
    }

    @Test
    void threadsLoadingOneScriptTogetherSplitItOnce() throws Exception {
        ParsedScripts parsed = new ParsedScripts(Long.MAX_VALUE);
        AtomicInteger splits = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<MigrationScript>> loads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                loads.add(pool.submit(() -> {
                    entered.countDown();
                    return parsed.get("k", 10, () -> {
                        splits.incrementAndGet();
                        // Every thread has asked for the script before the first split ends.
                        try {
                            assertTrue(entered.await(10, TimeUnit.SECONDS), "the threads did not start");
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        return script("1");
                    });
                }));
            }
            MigrationScript first = loads.get(0).get(10, TimeUnit.SECONDS);
            for (Future<MigrationScript> load : loads) {
                assertSame(first, load.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, splits.get(), "splits of one script by " + THREADS + " threads loading it together");
    }

    @Test
    void aScriptHeldIsNotSplitAgain() {
        ParsedScripts parsed = new ParsedScripts(Long.MAX_VALUE);
        MigrationScript first = parsed.get("k", 10, () -> script("1"));
        assertSame(first, parsed.get("k", 10, () -> script("2")));
    }

    @Test
    void passingTheBoundDropsEverythingHeld() {
        ParsedScripts parsed = new ParsedScripts(15);
        parsed.get("a", 10, () -> script("1"));
        assertEquals(1, parsed.size());
        parsed.get("b", 10, () -> script("2"));
        assertEquals(0, parsed.size(), "20 characters held, over the bound of 15");
        parsed.get("c", 10, () -> script("3"));
        assertEquals(1, parsed.size(), "the count starts again after a drop");
    }

    @Test
    void aFailedSplitKeepsNothing() {
        ParsedScripts parsed = new ParsedScripts(Long.MAX_VALUE);
        IllegalStateException thrown = new IllegalStateException("refused");
        assertSame(
                thrown,
                assertThrows(
                        IllegalStateException.class,
                        () -> parsed.get("k", 10, () -> {
                            throw thrown;
                        })));
        assertEquals(0, parsed.size());
        assertEquals("c2", parsed.get("k", 10, () -> script("2")).checksum());
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.tests.cli.Workspace;

/**
 * Issue 11, item 10: four concurrent {@code new} calls created four {@code 001_*.sql} files,
 * because each listed the folder before any of them had created its file. Creators of one
 * folder now take turns: each lists the folder and creates its file while it holds the folder's
 * lock, so N concurrent calls, released together through a start gate, give N distinct versions.
 */
final class ConcurrentNewCreatesDistinctVersionsTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {4, 12})
    @Timeout(120)
    void concurrentNewCallsOnAnEmptyFolderCreateOneScriptPerVersion(int threads) throws Exception {
        Workspace workspace = Workspace.in(root);

        List<Workspace.Run> runs = newAtOnce(workspace.migrations(), threads);

        for (Workspace.Run run : runs) {
            assertEquals(0, run.exitCode(), run::toString);
        }
        List<String> files = files(workspace.migrations());
        assertEquals(threads, files.size(), () -> "files: " + files);
        assertEquals(expectedVersions(1, threads), versions(files), () -> "files: " + files);
    }

    @Test
    @Timeout(120)
    void concurrentNewCallsAfterExistingScriptsContinueTheirNumbering() throws Exception {
        Workspace workspace = Workspace.in(root);
        workspace.script("001_create_notes.sql", "CREATE TABLE notes (id INTEGER);\n");
        workspace.script("007_create_tags.sql", "CREATE TABLE tags (id INTEGER);\n");

        List<Workspace.Run> runs = newAtOnce(workspace.migrations(), 6);

        for (Workspace.Run run : runs) {
            assertEquals(0, run.exitCode(), run::toString);
        }
        List<String> files = files(workspace.migrations());
        assertEquals(8, files.size(), () -> "files: " + files);
        Set<String> expected = expectedVersions(8, 6);
        expected.addAll(List.of("001", "007"));
        assertEquals(expected, versions(files), () -> "files: " + files);
        Workspace.Run migrate = workspace.lockstep("migrate");
        assertEquals(0, migrate.exitCode(), migrate::toString);
    }

    // Runs `lockstep new script_<i>` on `threads` threads, all released by one barrier.
    private static List<Workspace.Run> newAtOnce(Path migrations, int threads) throws Exception {
        CyclicBarrier gate = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Workspace.Run>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "script " + i;
                futures.add(pool.submit(() -> {
                    gate.await(30, TimeUnit.SECONDS);
                    return Workspace.run(Map.of(), "new", name, "--migrations", migrations.toString());
                }));
            }
            List<Workspace.Run> runs = new ArrayList<>();
            for (Future<Workspace.Run> future : futures) {
                runs.add(future.get(60, TimeUnit.SECONDS));
            }
            return runs;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "threads did not finish");
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static Set<String> versions(List<String> files) {
        Set<String> versions = new TreeSet<>();
        for (String file : files) {
            versions.add(file.substring(0, file.indexOf('_')));
        }
        return versions;
    }

    private static Set<String> expectedVersions(int first, int count) {
        Set<String> versions = new TreeSet<>();
        for (int v = first; v < first + count; v++) {
            versions.add(String.format("%03d", v));
        }
        return versions;
    }
}

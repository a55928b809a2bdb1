package org.lockstep.tests.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * N worker JVMs, each running the {@code lockstep migrate} command from the built module
 * path, released at the same instant against one SQLite file.
 */
final class ProcessHerdIT {
    private static final Pattern APPLIED = Pattern.compile("\\{\"version\":\"(\\d+)\"[^}]*\"appliedBy\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {4, 20})
    void processHerdAppliesEachMigrationExactlyOnceAndEveryWorkerSucceeds(int workers) throws Exception {
        Path database = dir.resolve("app.db");
        Path scripts = dir.resolve("migrations");
        SqliteFiles.writeHerdScripts(scripts, 1, 2);
        assertEquals(0, runHerd(1, database, scripts).get(0).exitCode);
        SqliteFiles.writeHerdScripts(scripts, 3, 6);

        List<Outcome> outcomes = runHerd(workers, database, scripts);

        Map<String, String> winners = new HashMap<>();
        for (Outcome outcome : outcomes) {
            assertEquals(0, outcome.exitCode, () -> outcome.name + " failed: " + outcome.stderr);
            Matcher applied = APPLIED.matcher(section(outcome.stdout, "\"applied\":", "\"appliedByOthers\":"));
            while (applied.find()) {
                assertEquals(outcome.name, applied.group(2));
                assertEquals(null, winners.put(applied.group(1), outcome.name),
                        "two workers report applying " + applied.group(1));
            }
        }
        for (Outcome outcome : outcomes) {
            Matcher others = APPLIED.matcher(section(outcome.stdout, "\"appliedByOthers\":", "\"lockWaitMillis\""));
            while (others.find()) {
                assertEquals(winners.get(others.group(1)), others.group(2), outcome.name + " names the wrong winner");
            }
        }
        assertEquals(4, winners.size(), "versions 3..6 should each have one winner: " + winners);
        ThreadHerdTest.assertExactlyOnce(database, 6);
    }

    private static String section(String json, String from, String to) {
        int start = json.indexOf(from);
        int end = json.indexOf(to, start);
        assertTrue(start >= 0 && end > start, "unexpected report: " + json);
        return json.substring(start, end);
    }

    private List<Outcome> runHerd(int workers, Path database, Path scripts) throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String name = "p" + w + "-of-" + workers + "-" + System.nanoTime() % 100000;
            names.add(name);
            children.add(ChildJvm.start(dir, name, List.of("migrate", "--json", "--database", database.toString(),
                    "--migrations", scripts.toString(), "--owner", name, "--lock-timeout", "60s")));
        }
        for (ChildJvm child : children) {
            child.awaitReady();
        }
        for (ChildJvm child : children) {
            child.release();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            ChildJvm child = children.get(w);
            int code = child.awaitExit(120);
            outcomes.add(new Outcome(names.get(w), code, child.output(), child.stderr()));
        }
        return outcomes;
    }

    private record Outcome(String name, int exitCode, String stdout, String stderr) {
    }
}

package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * Exactly once and all succeed, for a herd of processes: N JVMs, each running
 * {@code lockstep migrate --json} from the built module path with the database's options
 * (credentials from a file, the driver on the class path), released at one instant by the
 * command's start gate against one database: the many-workers deploy on one host.
 */
abstract class ProcessHerdContract extends DatabaseContract {
    private static final Pattern APPLIED = Pattern.compile("\\{\"version\":\"(\\d+)\"[^}]*\"appliedBy\":\"([^\"]+)\"");

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {4, 20})
    @Timeout(300)
    void processHerdAppliesEachMigrationExactlyOnceAndEveryWorkerSucceeds(int workers) throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 2, db());
        Outcome first = runHerd(1, scripts).get(0);
        assertEquals(0, first.exitCode, first.stderr);
        Herds.writeScripts(scripts, 3, 6, db());

        List<Outcome> outcomes = runHerd(workers, scripts);

        Map<String, String> winners = new HashMap<>();
        for (Outcome outcome : outcomes) {
            assertEquals(0, outcome.exitCode, () -> outcome.name + " failed: " + outcome.stderr);
            db().secret()
                    .ifPresent(secret -> assertFalse(
                            outcome.stdout.contains(secret) || outcome.stderr.contains(secret),
                            "the password was printed"));
            Matcher applied = APPLIED.matcher(section(outcome.stdout, "\"applied\":", "\"appliedByOthers\":"));
            while (applied.find()) {
                assertEquals(outcome.name, applied.group(2));
                assertEquals(
                        null,
                        winners.put(applied.group(1), outcome.name),
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
        Herds.assertExactlyOnce(db(), 6);
    }

    private static String section(String json, String from, String to) {
        int start = json.indexOf(from);
        int end = json.indexOf(to, start);
        assertTrue(start >= 0 && end > start, "unexpected report: " + json);
        return json.substring(start, end);
    }

    private List<Outcome> runHerd(int workers, Path scripts) throws Exception {
        List<WorkerProcess> children = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                String name = "p" + w + "-of-" + workers + "-" + System.nanoTime() % 100000;
                names.add(name);
                List<String> command = new ArrayList<>(List.of("migrate", "--json"));
                command.addAll(db().commandOptions(dir));
                command.addAll(List.of("--migrations", scripts.toString(), "--owner", name, "--lock-timeout", "60s"));
                children.add(WorkerProcess.start(dir, name, command, db().driverClassPath()));
            }
            WorkerProcess.releaseTogether(children);
            List<Outcome> outcomes = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                WorkerProcess child = children.get(w);
                int code = child.awaitExit(120);
                outcomes.add(new Outcome(names.get(w), code, child.output(), child.stderr()));
            }
            return outcomes;
        } finally {
            children.forEach(child -> child.process().destroyForcibly());
        }
    }

    private record Outcome(String name, int exitCode, String stdout, String stderr) {}
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
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
import org.lockstep.tests.concurrency.ChildJvm;

/**
 * N worker JVMs, each running {@code lockstep migrate --url jdbc:postgresql:...} from the
 * built module path (with PostgreSQL's driver on the class path and the password in a
 * file), released at the same instant against one schema: the many-hosts deploy, on one host.
 */
final class PostgresProcessHerdIT {
    private static final Pattern APPLIED = Pattern.compile("\\{\"version\":\"(\\d+)\"[^}]*\"appliedBy\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {4, 20})
    void processHerdAppliesEachMigrationExactlyOnceAndEveryWorkerSucceeds(int workers) throws Exception {
        PostgresServer server = PostgresServer.require();
        PostgresServer.Schema schema = server.freshSchema();
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 2);
        Path passwordFile = Files.writeString(dir.resolve("password"), server.password + "\n");
        assertEquals(0, runHerd(1, schema, scripts, passwordFile).get(0).exitCode);
        PostgresServer.writeHerdScripts(scripts, 3, 6);

        List<Outcome> outcomes = runHerd(workers, schema, scripts, passwordFile);

        Map<String, String> winners = new HashMap<>();
        for (Outcome outcome : outcomes) {
            assertEquals(0, outcome.exitCode, () -> outcome.name + " failed: " + outcome.stderr);
            assertFalse(outcome.stdout.contains(server.password) || outcome.stderr.contains(server.password),
                    "the password was printed");
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
        PostgresServer.assertExactlyOnce(schema, 6);
    }

    static Path driverJar() throws URISyntaxException {
        return Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String section(String json, String from, String to) {
        int start = json.indexOf(from);
        int end = json.indexOf(to, start);
        assertTrue(start >= 0 && end > start, "unexpected report: " + json);
        return json.substring(start, end);
    }

    private List<Outcome> runHerd(int workers, PostgresServer.Schema schema, Path scripts, Path passwordFile)
            throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String name = "p" + w + "-of-" + workers + "-" + System.nanoTime() % 100000;
            names.add(name);
            children.add(ChildJvm.start(dir, name, List.of("migrate", "--json", "--url", schema.url(),
                    "--user", schema.server().user, "--password-file", passwordFile.toString(),
                    "--migrations", scripts.toString(), "--owner", name, "--lock-timeout", "60s"),
                    List.of(driverJar())));
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

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.concurrency.GatedWorker;

/**
 * Issue 11, item 10, across processes: JVMs that run {@code lockstep new} on one folder at the
 * same instant (released through {@link GatedWorker}'s start gate) each create their own
 * version, because they take turns through an OS file lock in their shared temp folder.
 */
final class ConcurrentNewProcessesCreateDistinctVersionsIT {
    private static final int PROCESSES = 4;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void processesRunningNewTogetherCreateOneScriptPerVersion() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Path sharedTemp = Files.createDirectories(dir.resolve("tmp"));
        List<Process> processes = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                processes.add(start(sharedTemp, p, List.of("new", "script " + p, "--migrations",
                        migrations.toString())));
            }
            for (Process process : processes) {
                String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertEquals("ready", line, () -> "child did not get ready: " + stderr(sharedTemp));
            }
            for (Process process : processes) {
                process.getOutputStream().write('g');
                process.getOutputStream().flush();
            }
            for (Process process : processes) {
                assertTrue(process.waitFor(120, TimeUnit.SECONDS), "a child hung");
                assertEquals(0, process.exitValue(), () -> stderr(sharedTemp));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }

        List<String> files;
        try (Stream<Path> listing = Files.list(migrations)) {
            files = listing.map(file -> file.getFileName().toString()).sorted().toList();
        }
        Set<String> versions = new TreeSet<>();
        files.forEach(file -> versions.add(file.substring(0, file.indexOf('_'))));
        assertEquals(PROCESSES, files.size(), () -> "files: " + files);
        assertEquals(Set.of("001", "002", "003", "004"), versions, () -> "files: " + files);
    }

    // A JVM that loads the command from the built module path, with the given temp folder.
    private static Process start(Path temp, int index, List<String> args) throws IOException, URISyntaxException {
        String modulePath = System.getProperty("lockstep.modulePath");
        assertTrue(modulePath != null && Files.isDirectory(Path.of(modulePath)),
                "lockstep.modulePath [" + modulePath + "] is not a folder; run the build through Maven");
        Path testClasses = Path.of(GatedWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djava.io.tmpdir=" + temp, "-p", modulePath, "--add-modules", "org.lockstep.cli",
                "-cp", testClasses.toString(), GatedWorker.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(temp.resolve("child-" + index + ".err").toFile()).start();
    }

    private static String stderr(Path temp) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < PROCESSES; p++) {
            File log = temp.resolve("child-" + p + ".err").toFile();
            try {
                text.append("child ").append(p).append(": ").append(log.exists() ? Files.readString(log.toPath()) : "")
                        .append('\n');
            } catch (IOException e) {
                text.append("child ").append(p).append(": ").append(e).append('\n');
            }
        }
        return text.toString();
    }
}

package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * Issue 11, item 10, across processes: JVMs that run {@code lockstep new} on one folder at the
 * same instant (released through the command's start gate) each create their own version,
 * because they take turns through an OS file lock in their shared temp folder.
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
        List<WorkerProcess> processes = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                processes.add(WorkerProcess.start(
                        dir,
                        "child-" + p,
                        List.of("new", "script " + p, "--migrations", migrations.toString()),
                        List.of(),
                        sharedTemp));
            }
            WorkerProcess.releaseTogether(processes);
            for (WorkerProcess process : processes) {
                assertEquals(0, process.awaitExit(120), process::stderr);
            }
        } finally {
            processes.forEach(process -> process.process().destroyForcibly());
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
}

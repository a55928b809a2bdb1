package org.lockstep.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.cli.LockstepTool;

/** The bench command runs, reports its figures and proves the up-to-date path takes no lock. */
final class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void quickBenchOfTheUpToDatePathAndTheFloorReportsAndWritesJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path report = dir.resolve("bench.json");

        int code = new LockstepTool(Map.of())
                .run(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "bench",
                        "--quick",
                        "--sections",
                        "3,5",
                        "--output",
                        report.toString());

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("with lockAttempts == 0"), out.toString());
        assertTrue(Files.readString(report).contains("\"3d\""), Files.readString(report));
    }

    @Test
    void badBenchArgumentIsExitTwo() {
        StringWriter err = new StringWriter();

        int code = new LockstepTool(Map.of())
                .run(new PrintWriter(new StringWriter()), new PrintWriter(err), "bench", "--runs", "zero");

        assertEquals(2, code);
        assertTrue(err.toString().contains("--runs"), err.toString());
    }
}

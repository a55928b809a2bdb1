package org.lockstep.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The {@code lockstep bench} command: measures Lockstep on this machine against the targets
 * of the issue that asked for it, prints a table and writes a JSON report.
 *
 * <p>Sections: 1 a herd of threads, 2 a herd of processes of the runtime image, 3 the cost of
 * an up-to-date start and proof that it takes no write lock, 4 the wake-up latency of
 * waiters after the lock holder's commit (against SQLite's own busy handler), 5 the overhead
 * against plain JDBC, 6 scale, 7 lint and drift. Run {@code lockstep bench --help} for the options. Every run
 * uses a fresh database in a temporary folder, deleted at the end. The library's log is
 * silenced while the benchmark runs; progress lines go to {@code err}.
 *
 * <p>Exit codes: 0 when every section measured (missed targets are reported, not errors), 1
 * when a section failed or saw a broken invariant (the others still run and are reported),
 * 2 for bad arguments.
 */
public final class Bench {
    // The command's exit codes (ExitCode), which bench --help and the README list.
    private static final int OK = 0;
    private static final int BAD_ARGUMENTS = 2;
    private static final int FAILED = 5;
    private static final int ENVIRONMENT = 6;

    // Held so java.util.logging cannot forget the level set on it.
    private static final Logger LIBRARY_LOG = Logger.getLogger("org.lockstep");

    private Bench() {}

    /**
     * Runs the benchmark.
     *
     * @param out where the table goes
     * @param err where progress and errors go
     * @param args the arguments after {@code bench}
     * @param env the environment; {@code LOCKSTEP_JAVA_OPTIONS} is passed on to the processes of section 2
     * @return the exit code: 0 measured, 2 bad arguments, 5 a section failed, 6 the scratch
     *     folder or the report could not be written
     */
    public static int run(PrintWriter out, PrintWriter err, List<String> args, Map<String, String> env) {
        try {
            return execute(out, err, args, env);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int execute(PrintWriter out, PrintWriter err, List<String> args, Map<String, String> env) {
        BenchSettings settings;
        try {
            settings = BenchSettings.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("lockstep bench: " + e.getMessage() + "; run lockstep bench --help");
            return BAD_ARGUMENTS;
        }
        if (settings.help()) {
            out.print(BenchSettings.HELP);
            return OK;
        }
        Level levelWas = LIBRARY_LOG.getLevel();
        LIBRARY_LOG.setLevel(Level.OFF);
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("lockstep-bench");
            Instant started = Instant.now();
            long start = System.nanoTime();
            Machine machine = Machine.describe(env);
            Workbench bench = new Workbench(settings, scratch, err);
            Map<Integer, String> titles = new LinkedHashMap<>();
            List<Result> results = new ArrayList<>();
            boolean failed = false;
            for (Section section : List.of(
                    new ThreadHerd(),
                    new ProcessHerd(),
                    new UpToDateStart(),
                    new WakeUpLatency(),
                    new FloorOverhead(),
                    new Scale(),
                    new LintAndDrift(),
                    new DatabaseSize())) {
                titles.put(section.number(), section.title());
                if (!settings.sections().contains(section.number())) {
                    continue;
                }
                bench.progress("section " + section.number() + ", " + section.title());
                try {
                    results.addAll(section.run(bench));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    err.println("lockstep bench: interrupted in section [" + section.number() + "]");
                    return FAILED;
                } catch (Exception e) {
                    failed = true;
                    String message = describe(e);
                    err.println("lockstep bench: section [" + section.number() + "] failed: " + message);
                    results.add(Result.missing(section.number(), "section failed", "FAILED: " + message));
                }
            }
            Report report = new Report(
                    machine, settings, titles, results, started, Duration.ofNanos(System.nanoTime() - start));
            out.print(report.table());
            Files.writeString(settings.output(), report.json(), StandardCharsets.UTF_8);
            out.println("\nJSON report: " + settings.output().toAbsolutePath());
            return failed ? FAILED : OK;
        } catch (IOException | UncheckedIOException e) {
            err.println("lockstep bench: " + describe(e));
            return ENVIRONMENT;
        } catch (java.sql.SQLException e) {
            err.println("lockstep bench: " + describe(e));
            return FAILED;
        } finally {
            LIBRARY_LOG.setLevel(levelWas);
            delete(scratch, err);
        }
    }

    // The message and the chain of causes, on one line.
    private static String describe(Throwable failure) {
        Throwable cause =
                failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        StringBuilder text =
                new StringBuilder(cause instanceof BenchmarkFailure ? cause.getMessage() : String.valueOf(cause));
        for (Throwable next = cause.getCause(); next != null && next != next.getCause(); next = next.getCause()) {
            text.append("; caused by ").append(next);
        }
        return text.toString();
    }

    private static void delete(Path scratch, PrintWriter err) {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(scratch)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            err.println("lockstep bench: could not delete the scratch folder [" + scratch + "]: " + e);
        }
    }
}

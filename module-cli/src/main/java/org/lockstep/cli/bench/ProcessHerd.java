package org.lockstep.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;
import org.lockstep.cli.StartGate;

/**
 * Section 2: N processes of the runtime image run {@code lockstep migrate} on one fresh
 * database, released together. Each process starts as {@code /bin/sh} at the
 * {@link StartGate} and {@code exec}s the command once it opens (the gate before the JVM, not
 * the {@code worker}'s after it, because these figures include the JVM's start-up): starting
 * N processes takes a while (hundreds of milliseconds for 20 on a busy machine), and the gate
 * keeps that out of the figure, which runs from the gate's opening to the last exit. Without
 * {@code /bin/sh} the processes start back to back and the figure runs from the first start.
 * Each herd is followed by the same herd on the now up-to-date database: the start-up
 * cost of N JVMs on this machine, which separates what the migration adds from what the
 * processes cost by merely starting together.
 */
final class ProcessHerd implements Section {
    private static final long TIMEOUT_SECONDS = 300;
    private static final Path SHELL = Path.of("/bin/sh");

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String title() {
        return "herd, processes";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        if (bench.settings().image().isEmpty()) {
            return List.of(Result.missing(2, "process herds", bench.settings().imageNote()));
        }
        Path launcher = bench.settings().image().get().resolve("bin").resolve("lockstep");
        Path scripts = bench.realisticScripts();
        List<Integer> herds = bench.settings().processHerds();
        // Warm-up: the image's files into the page cache.
        herdTwice(bench, launcher, scripts, 1, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<Integer, List<Double>> fresh = new LinkedHashMap<>();
        Map<Integer, List<Double>> current = new LinkedHashMap<>();
        List<Double> spawn = new ArrayList<>();
        for (int run = 1; run <= bench.settings().runs(); run++) {
            bench.progress(
                    "herd of processes: run " + run + "/" + bench.settings().runs());
            for (int processes : herds) {
                herdTwice(
                        bench,
                        launcher,
                        scripts,
                        processes,
                        fresh.computeIfAbsent(processes, p -> new ArrayList<>()),
                        current.computeIfAbsent(processes, p -> new ArrayList<>()),
                        spawn);
            }
        }
        List<Result> results = new ArrayList<>();
        for (int processes : herds) {
            results.add(Result.of(
                    2,
                    processes + (processes == 1 ? " process" : " processes") + ", fresh db, 50 migrations",
                    "ms",
                    Summary.of(fresh.get(processes)),
                    false,
                    processes == 1 ? "the single-process baseline; start gate to last exit" : ""));
        }
        for (int processes : herds) {
            if (processes > 1) {
                results.add(Result.of(
                        2,
                        "ratio " + processes + " processes / 1 process",
                        "x",
                        Summary.of(ThreadHerd.ratios(fresh.get(processes), fresh.get(1))),
                        false,
                        "no target set; on " + Runtime.getRuntime().availableProcessors()
                                + " cores N JVM start-ups alone cost ~N/cores times one"));
            }
        }
        for (int processes : herds) {
            results.add(Result.of(
                    2,
                    processes + (processes == 1 ? " process" : " processes") + ", up-to-date db (start-up floor)",
                    "ms",
                    Summary.of(current.get(processes)),
                    false,
                    ""));
        }
        for (int processes : herds) {
            results.add(Result.of(
                    2,
                    "ratio fresh / up-to-date, " + processes + (processes == 1 ? " process" : " processes"),
                    "x",
                    Summary.of(ThreadHerd.ratios(fresh.get(processes), current.get(processes))),
                    false,
                    "what migrating adds to a herd's start-up"));
        }
        results.add(Result.of(
                2,
                "time to start " + herds.get(herds.size() - 1) + " processes",
                "ms",
                Summary.of(spawn),
                false,
                Files.isExecutable(SHELL)
                        ? "first start() until all wait at the gate; not in the figures above"
                        : "first start() to the last start() returning; included above (no /bin/sh gate)"));
        return results;
    }

    private static void herdTwice(
            Workbench bench,
            Path launcher,
            Path scripts,
            int processes,
            List<Double> fresh,
            List<Double> current,
            List<Double> spawn)
            throws Exception {
        Path database = bench.freshDatabase();
        try {
            double[] spawned = new double[1];
            fresh.add(herd(bench, launcher, scripts, database, processes, spawned));
            if (processes
                    == bench.settings()
                            .processHerds()
                            .get(bench.settings().processHerds().size() - 1)) {
                spawn.add(spawned[0]);
            }
            List<MigrationInfo> status = Migrator.create(
                            Workbench.config(database, scripts, "bench").build())
                    .status();
            BenchmarkFailure.check(
                    status.size() == Workload.REALISTIC
                            && status.stream().allMatch(info -> info.state() == MigrationState.APPLIED),
                    "Herd of [" + processes + "] processes left [" + database + "] with ["
                            + status.stream()
                                    .filter(info -> info.state() != MigrationState.APPLIED)
                                    .count()
                            + "] migrations not applied");
            current.add(herd(bench, launcher, scripts, database, processes, spawned));
        } finally {
            bench.discard(database);
        }
    }

    // Milliseconds from the gate's opening (or the first start) to the last exit; spawned[0]
    // gets the time from the first start until every process was waiting at the gate.
    private static double herd(
            Workbench bench, Path launcher, Path scripts, Path database, int processes, double[] spawned)
            throws IOException, InterruptedException {
        List<ProcessBuilder> builders = new ArrayList<>();
        boolean gated = Files.isExecutable(SHELL);
        for (int p = 0; p < processes; p++) {
            List<String> command = new ArrayList<>();
            command.addAll(List.of(
                    launcher.toString(),
                    "migrate",
                    "--database",
                    database.toString(),
                    "--migrations",
                    scripts.toString(),
                    "--quiet"));
            if (gated) {
                // The shell waits at the gate, then becomes the command: the figure includes the JVM's start.
                command = StartGate.beforeExec(command);
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(gated ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
                    .redirectError(
                            bench.scratch().resolve("process-" + p + ".err").toFile());
            builder.environment().clear();
            builder.environment().putAll(bench.settings().childEnvironment());
            builders.add(builder);
        }
        List<Process> started = new ArrayList<>();
        try {
            long first = System.nanoTime();
            for (ProcessBuilder builder : builders) {
                started.add(builder.start());
            }
            if (gated) {
                for (Process process : started) {
                    String line = new BufferedReader(
                                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                    BenchmarkFailure.check(
                            StartGate.isReady(line), "Process [" + process.pid() + "] did not reach the start gate");
                }
            }
            long opened = System.nanoTime();
            spawned[0] = Figures.millis(opened - first);
            if (gated) {
                for (Process process : started) {
                    StartGate.open(process);
                }
            } else {
                opened = first;
            }
            for (Process process : started) {
                BenchmarkFailure.check(
                        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "Process [" + process.pid() + "] did not exit within " + TIMEOUT_SECONDS + " s");
            }
            double elapsed = Figures.millis(System.nanoTime() - opened);
            for (int p = 0; p < started.size(); p++) {
                int code = started.get(p).exitValue();
                if (code != 0) {
                    String stderr = Files.readString(
                                    bench.scratch().resolve("process-" + p + ".err"), StandardCharsets.UTF_8)
                            .strip();
                    throw new BenchmarkFailure("Process [" + p + "] of a herd of [" + processes + "] exited with ["
                            + code + "]: " + stderr);
                }
            }
            return elapsed;
        } finally {
            for (Process process : started) {
                process.destroyForcibly();
            }
        }
    }
}

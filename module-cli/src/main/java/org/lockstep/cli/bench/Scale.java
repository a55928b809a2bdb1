package org.lockstep.cli.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * Section 6: a fresh apply of many small generated migrations (1 000 and 5 000) and
 * {@code status()} on a 10 000-row history, timed with plain heap sampling; then one
 * untimed run of each with collecting heap sampling for the live heap (see {@link HeapSampler}).
 * The history for {@code status()} is written once with {@code baseline()}, which records
 * every script without running it; {@code status()} only reads it.
 */
final class Scale implements Section {

    /** A prepared call to measure: it checks its own result, and cleans up after the measurement. */
    private interface Measured {
        void run() throws Exception;

        default void discard() throws Exception {}
    }

    @Override
    public int number() {
        return 6;
    }

    @Override
    public String title() {
        return "scale";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        List<Integer> sizes = bench.settings().scaleSizes();
        int small = sizes.get(0);
        int large = sizes.get(1);
        int history = bench.settings().statusHistory();
        Map<String, Callable<Measured>> operations = new LinkedHashMap<>();
        for (int size : sizes) {
            Path scripts = bench.generatedScripts(size);
            operations.put("fresh apply of " + size + " migrations", () -> apply(bench, scripts, size));
        }
        Path statusScripts = bench.generatedScripts(history);
        Path statusDatabase = bench.freshDatabase();
        try {
            baseline(statusDatabase, statusScripts, history);
            Migrator reader = Migrator.create(
                    Workbench.config(statusDatabase, statusScripts, "bench").build());
            operations.put("status() on a " + history + "-row history", () -> () -> {
                List<MigrationInfo> infos = reader.status();
                BenchmarkFailure.check(
                        infos.size() == history
                                && infos.stream().allMatch(info -> info.state() == MigrationState.APPLIED),
                        "status() of [" + statusDatabase + "] did not list " + history + " applied migrations");
            });

            Map<String, List<Double>> times = new LinkedHashMap<>();
            Map<String, List<Double>> heaps = new LinkedHashMap<>();
            Map<String, List<Double>> live = new LinkedHashMap<>();
            for (Map.Entry<String, Callable<Measured>> operation : operations.entrySet()) {
                Measured warmUp = operation.getValue().call();
                try {
                    warmUp.run();
                } finally {
                    warmUp.discard();
                }
            }
            for (int run = 1; run <= bench.settings().runs(); run++) {
                bench.progress("scale: run " + run + "/" + bench.settings().runs());
                for (Map.Entry<String, Callable<Measured>> operation : operations.entrySet()) {
                    Measured measured = operation.getValue().call();
                    long elapsed;
                    try (HeapSampler heap = HeapSampler.plain()) {
                        long start = System.nanoTime();
                        measured.run();
                        elapsed = System.nanoTime() - start;
                        heap.close();
                        heaps.computeIfAbsent(operation.getKey(), k -> new ArrayList<>())
                                .add(Figures.mebibytes(heap.peakAboveBaseline()));
                    } finally {
                        measured.discard();
                    }
                    times.computeIfAbsent(operation.getKey(), k -> new ArrayList<>())
                            .add(Figures.millis(elapsed));
                }
            }
            bench.progress("scale: live heap");
            for (Map.Entry<String, Callable<Measured>> operation : operations.entrySet()) {
                Measured measured = operation.getValue().call();
                try (HeapSampler heap = HeapSampler.collecting()) {
                    measured.run();
                    heap.close();
                    live.computeIfAbsent(operation.getKey(), k -> new ArrayList<>())
                            .add(Figures.mebibytes(heap.peakAboveBaseline()));
                } finally {
                    measured.discard();
                }
            }

            List<Result> results = new ArrayList<>();
            for (String name : operations.keySet()) {
                results.add(Result.of(
                        6,
                        name,
                        "ms",
                        Summary.of(times.get(name)),
                        false,
                        name.startsWith("status") ? "reads " + history + " scripts and " + history + " rows" : ""));
            }
            String smallName = "fresh apply of " + small + " migrations";
            String largeName = "fresh apply of " + large + " migrations";
            double linear = (double) large / small;
            results.add(Result.of(
                    6,
                    "ratio " + large + " / " + small + " migrations",
                    "x",
                    Summary.of(ThreadHerd.ratios(times.get(largeName), times.get(smallName))),
                    false,
                    new Target(
                            List.of(new Target.Limit(Target.Statistic.MEDIAN, linear * 1.5)),
                            "median < " + Figures.format(linear * 1.5) + " (linear " + Figures.format(linear)
                                    + ", quadratic " + Figures.format(linear * linear) + ")"),
                    "per-run ratios"));
            for (String name : operations.keySet()) {
                results.add(Result.of(
                        6,
                        "peak heap, sampled: " + name,
                        "MiB",
                        Summary.of(heaps.get(name)),
                        false,
                        "includes uncollected garbage; above the post-GC heap before the call"));
            }
            for (String name : operations.keySet()) {
                results.add(Result.of(
                        6,
                        "peak live heap: " + name,
                        "MiB",
                        Summary.of(live.get(name)),
                        false,
                        "1 untimed run, full GC before each 10 ms sample"));
            }
            return results;
        } finally {
            bench.discard(statusDatabase);
        }
    }

    // A fresh database for each call; the measured part is migrate() alone.
    private static Measured apply(Workbench bench, Path scripts, int size) {
        Path database = bench.freshDatabase();
        Migrator migrator =
                Migrator.create(Workbench.config(database, scripts, "bench").build());
        return new Measured() {
            @Override
            public void run() {
                int applied = migrator.migrate().applied().size();
                BenchmarkFailure.check(
                        applied == size,
                        "Applied [" + applied + "] of [" + size + "] migrations to [" + database + "]");
            }

            @Override
            public void discard() throws Exception {
                bench.discard(database);
            }
        };
    }

    private static void baseline(Path database, Path scripts, int history) throws Exception {
        try (Connection connection = Workbench.open(database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE legacy (id INTEGER PRIMARY KEY)");
        }
        int recorded = Migrator.create(
                        Workbench.config(database, scripts, "bench").build())
                .baseline(MigrationVersion.parse(Integer.toString(history)))
                .applied()
                .size();
        BenchmarkFailure.check(
                recorded == history,
                "baseline() recorded [" + recorded + "] of [" + history + "] migrations in [" + database + "]");
    }
}

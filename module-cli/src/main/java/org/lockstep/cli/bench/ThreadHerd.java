package org.lockstep.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.lockstep.MigrateResult;
import org.lockstep.Migrator;

/**
 * Section 1: N threads, each with its own {@link Migrator} (and so its own connections),
 * released together by a start gate on a fresh database of the 50 realistic migrations;
 * the figure is the time from the gate's opening to the last worker's return.
 */
final class ThreadHerd implements Section {
    private static final long TIMEOUT_SECONDS = 120;
    private static final int WARM_UP_RUNS = 2;

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String title() {
        return "herd, in-process";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        Path scripts = bench.realisticScripts();
        List<Integer> herds = bench.settings().threadHerds();
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            for (int workers : herds) {
                herd(bench, scripts, workers);
            }
        }
        Map<Integer, List<Double>> times = new LinkedHashMap<>();
        for (int run = 1; run <= bench.settings().runs(); run++) {
            bench.progress(
                    "herd in-process: run " + run + "/" + bench.settings().runs());
            for (int workers : herds) {
                times.computeIfAbsent(workers, w -> new ArrayList<>()).add(herd(bench, scripts, workers));
            }
        }
        List<Result> results = new ArrayList<>();
        for (int workers : herds) {
            String measure = workers + (workers == 1 ? " worker" : " workers") + ", fresh db, 50 migrations";
            Summary summary = Summary.of(times.get(workers));
            results.add(
                    workers == 4
                            ? Result.of(1, measure, "ms", summary, false, Target.medianBelow(500), "")
                            : Result.of(
                                    1,
                                    measure,
                                    "ms",
                                    summary,
                                    false,
                                    workers == 1 ? "the single-worker baseline" : ""));
        }
        for (int workers : herds) {
            if (workers > 1) {
                results.add(Result.of(
                        1,
                        "ratio " + workers + " workers / 1 worker",
                        "x",
                        Summary.of(ratios(times.get(workers), times.get(1))),
                        false,
                        // The deploy-cost issue's targets: 4 threads within 1.15 of one, 20 within 1.3.
                        Target.medianBelow(workers == 4 ? 1.15 : 1.3),
                        "per-run ratios (the herds of a run are measured back to back)"));
            }
        }
        return results;
    }

    /** Returns the element-wise ratios of two lists of equal length. */
    static List<Double> ratios(List<Double> numerators, List<Double> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i) / denominators.get(i));
        }
        return ratios;
    }

    // One herd on a fresh database: milliseconds from the gate to the last return.
    private static double herd(Workbench bench, Path scripts, int workers) throws Exception {
        Path database = bench.freshDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            CountDownLatch ready = new CountDownLatch(workers);
            CountDownLatch gate = new CountDownLatch(1);
            long[] returned = new long[workers];
            List<Future<MigrateResult>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                Migrator migrator = Migrator.create(
                        Workbench.config(database, scripts, "bench-w" + w).build());
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    MigrateResult result = migrator.migrate();
                    returned[worker] = System.nanoTime();
                    return result;
                }));
            }
            BenchmarkFailure.check(
                    ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "Herd of [" + workers + "] threads did not start");
            long opened = System.nanoTime();
            gate.countDown();
            int applied = 0;
            for (Future<MigrateResult> future : futures) {
                applied +=
                        future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).applied().size();
            }
            BenchmarkFailure.check(
                    applied == Workload.REALISTIC,
                    "Herd of [" + workers + "] threads applied [" + applied + "] migrations in all, not ["
                            + Workload.REALISTIC + "]");
            long last = Long.MIN_VALUE;
            for (long t : returned) {
                last = Math.max(last, t);
            }
            return Figures.millis(last - opened);
        } finally {
            pool.shutdownNow();
            BenchmarkFailure.check(
                    pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "Herd of [" + workers + "] threads did not terminate");
            bench.discard(database);
        }
    }
}

package org.lockstep.cli.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Section 4: how long after a lock holder's commit its waiters return.
 *
 * <p>Lockstep: in each trial one worker takes the lock to apply a slow migration (a
 * recursive query calibrated to run about {@value #HOLD_MILLIS} ms); once its listener hears
 * the migration start, inside the holder's transaction, {@value #WAITERS} more workers call
 * {@code migrate()} and poll for the lock. The commit instant is taken inside the holder, the
 * moment its {@code COMMIT} statement returns (see {@link CommitClock}); each waiter's
 * latency is its return instant minus that.
 *
 * <p>SQLite's busy handler, for comparison: a plain JDBC holder runs the same query inside
 * {@code BEGIN IMMEDIATE} while {@value #WAITERS} plain connections with
 * {@code PRAGMA busy_timeout = 10000} block in {@code BEGIN IMMEDIATE}; each waiter commits
 * its empty transaction at once (as a migrator that took the lock and found nothing to do
 * would) and its latency runs from the holder's commit to that return.
 *
 * <p>Waiting processes ({@link WaitingProcesses}): 20 processes of the runtime image wait for
 * one holder, the case; each is counted only once it has found the lock held.
 */
final class WakeUpLatency implements Section {
    private static final int WAITERS = 4;
    private static final long HOLD_MILLIS = 80;
    private static final long TIMEOUT_SECONDS = 60;
    private static final int WARM_UP_TRIALS = 2;
    private static final long CALIBRATION_ITERATIONS = 200_000;

    @Override
    public int number() {
        return 4;
    }

    @Override
    public String title() {
        return "wake-up latency";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        long iterations = calibrate();
        Path scripts = Workload.writeSlow(bench.scratch().resolve("scripts-slow"), iterations);
        List<Double> lockstep = new ArrayList<>();
        List<Double> busyHandler = new ArrayList<>();
        List<Double> holds = new ArrayList<>();
        List<Double> attempts = new ArrayList<>();
        for (int i = 0; i < WARM_UP_TRIALS; i++) {
            lockstepTrial(bench, scripts, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            busyHandlerTrial(bench, iterations, new ArrayList<>());
        }
        int trials = bench.settings().wakeUpTrials();
        for (int trial = 1; trial <= trials; trial++) {
            if (trial % 10 == 1) {
                bench.progress("wake-up latency: trial " + trial + "/" + trials);
            }
            lockstepTrial(bench, scripts, lockstep, holds, attempts);
            busyHandlerTrial(bench, iterations, busyHandler);
        }
        Summary hold = Summary.of(holds);
        Summary polls = Summary.of(attempts);
        List<Result> results = new ArrayList<>(List.of(
                Result.of(
                        4,
                        "Lockstep waiter: holder's commit to return",
                        "ms",
                        Summary.of(lockstep),
                        true,
                        Target.medianAndP99Below(2, 10),
                        trials + " trials x " + WAITERS
                                + " waiters; holder held the lock " + Figures.format(hold.median())
                                + " ms (median); waiters made " + Figures.format(polls.median())
                                + " lock attempts (median)"),
                Result.of(
                        4,
                        "SQLite busy handler waiter: commit to return",
                        "ms",
                        Summary.of(busyHandler),
                        true,
                        "plain JDBC, PRAGMA busy_timeout = 10000; the reference, no target")));
        results.add(waitingProcesses(bench));
        return results;
    }

    // The case: N processes of the runtime image waiting for one holder's commit.
    private static Result waitingProcesses(Workbench bench) throws Exception {
        int processes = bench.settings().quick() ? 4 : 20;
        String measure = "Lockstep, " + processes + " waiting processes: holder's commit to return";
        if (bench.settings().image().isEmpty()) {
            return Result.missing(4, measure, bench.settings().imageNote());
        }
        if (!WaitingProcesses.comparableClocks()) {
            return Result.missing(4, measure, "needs Linux: the processes' clocks are compared with this JVM's");
        }
        Path launcher = bench.settings().image().get().resolve("bin").resolve("lockstep");
        Path scripts = Workload.writeSlow(bench.scratch().resolve("scripts-held"), 10_000);
        WaitingProcesses.trial(bench, launcher, scripts, processes, new ArrayList<>(), new ArrayList<>());
        List<Double> latencies = new ArrayList<>();
        List<Double> attempts = new ArrayList<>();
        int trials = bench.settings().runs();
        for (int trial = 1; trial <= trials; trial++) {
            bench.progress("wake-up latency, waiting processes: trial " + trial + "/" + trials);
            WaitingProcesses.trial(bench, launcher, scripts, processes, latencies, attempts);
        }
        return Result.of(
                4,
                measure,
                "ms",
                Summary.of(latencies),
                true,
                Target.medianAndP99Below(0.5, 5),
                trials + " trials x " + processes + " processes, each waiting when the holder committed ("
                        + WaitingProcesses.SETTLE_MILLIS + " ms after the last started to); they made "
                        + Figures.format(Summary.of(attempts).median()) + " lock attempts (median)");
    }

    private static void lockstepTrial(
            Workbench bench, Path scripts, List<Double> latencies, List<Double> holds, List<Double> attempts)
            throws Exception {
        Path database = bench.freshDatabase();
        CommitClock clock = new CommitClock();
        CountDownLatch holding = new CountDownLatch(1);
        AtomicLong started = new AtomicLong();
        MigrationConfig holderConfig = clock.holderConfig(database, scripts, () -> {
            started.set(System.nanoTime());
            holding.countDown();
        });
        List<Migrator> waiters = new ArrayList<>();
        for (int w = 0; w < WAITERS; w++) {
            waiters.add(Migrator.create(
                    Workbench.config(database, scripts, "bench-waiter" + w).build()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(1 + WAITERS);
        try {
            Future<MigrateResult> holder =
                    pool.submit(() -> Migrator.create(holderConfig).migrate());
            BenchmarkFailure.check(
                    holding.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "The holder of [" + database + "] never started its migration");
            List<Future<long[]>> returns = new ArrayList<>();
            for (Migrator waiter : waiters) {
                returns.add(pool.submit(() -> {
                    MigrateResult result = waiter.migrate();
                    long returned = System.nanoTime();
                    BenchmarkFailure.check(
                            result.applied().isEmpty()
                                    && result.appliedByOthers().size() == 1,
                            "A waiter on [" + database + "] did not find the holder's migration: " + result);
                    return new long[] {returned, result.lockAttempts()};
                }));
            }
            BenchmarkFailure.check(
                    holder.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).applied().size() == 1,
                    "The holder of [" + database + "] did not apply the slow migration");
            long commit = clock.firstCommitAfter(started.get());
            holds.add(Figures.millis(commit - started.get()));
            for (Future<long[]> waiter : returns) {
                long[] returned = waiter.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                latencies.add(Figures.millis(returned[0] - commit));
                attempts.add((double) returned[1]);
            }
        } finally {
            pool.shutdownNow();
            BenchmarkFailure.check(
                    pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "Wake-up trial threads did not terminate");
            bench.discard(database);
        }
    }

    private static void busyHandlerTrial(Workbench bench, long iterations, List<Double> latencies) throws Exception {
        Path database = bench.freshDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(WAITERS);
        List<Connection> connections = new ArrayList<>();
        try {
            Connection holder = Workbench.open(database);
            connections.add(holder);
            Statement holding = holder.createStatement();
            holding.execute("CREATE TABLE slow_total (total INTEGER NOT NULL)");
            List<Statement> waiters = new ArrayList<>();
            for (int w = 0; w < WAITERS; w++) {
                Connection waiter = Workbench.open(database);
                connections.add(waiter);
                Statement statement = waiter.createStatement();
                statement.execute("PRAGMA busy_timeout = 10000");
                waiters.add(statement);
            }
            holding.execute("BEGIN IMMEDIATE");
            CountDownLatch ready = new CountDownLatch(WAITERS);
            List<Future<Long>> returns = new ArrayList<>();
            for (Statement waiter : waiters) {
                returns.add(pool.submit(() -> {
                    ready.countDown();
                    waiter.execute("BEGIN IMMEDIATE");
                    waiter.execute("COMMIT");
                    return System.nanoTime();
                }));
            }
            BenchmarkFailure.check(
                    ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "Busy-handler waiters did not start");
            holding.execute("INSERT INTO slow_total " + Workload.slowQuery(iterations));
            holding.execute("COMMIT");
            long commit = System.nanoTime();
            for (Future<Long> waiter : returns) {
                latencies.add(Figures.millis(waiter.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) - commit));
            }
        } finally {
            pool.shutdownNow();
            BenchmarkFailure.check(
                    pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "Busy-handler threads did not terminate");
            for (Connection connection : connections) {
                connection.close();
            }
            bench.discard(database);
        }
    }

    // How far the slow query must count to run about HOLD_MILLIS on this machine.
    private static long calibrate() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement statement = connection.createStatement()) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                statement
                        .executeQuery(Workload.slowQuery(CALIBRATION_ITERATIONS))
                        .close();
                best = Math.min(best, System.nanoTime() - start);
            }
            long iterations = (long) (CALIBRATION_ITERATIONS * HOLD_MILLIS / Figures.millis(Math.max(best, 1)));
            return Math.max(10_000, Math.min(iterations, 1_000_000_000L));
        }
    }
}

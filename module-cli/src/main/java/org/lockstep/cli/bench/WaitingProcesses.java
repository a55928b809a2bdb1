package org.lockstep.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.lockstep.cli.StartGate;
import org.lockstep.cli.WorkerReport;

/**
 * Section 4's trial with waiting processes: a holder in this JVM takes the lock to apply a
 * migration and holds the {@code COMMIT} of that deploy ({@link CommitClock#holdCommitsUntil})
 * until every
 * one of N processes of the runtime image (the hidden {@code worker} command) has found the
 * lock held and said so; then it commits, and each process's latency is the instant its
 * {@code migrate()} returned minus the instant the holder's {@code COMMIT} returned. Both
 * instants are {@link System#nanoTime()}, which on Linux reads the monotonic clock that every
 * process of the host shares; elsewhere the trial is not run.
 */
final class WaitingProcesses {
    private static final long TIMEOUT_SECONDS = 120;
    /** How long the holder goes on after the last process started to wait. */
    static final long SETTLE_MILLIS = 1000;

    private WaitingProcesses() {}

    /** Whether the processes' clock readings can be compared with this JVM's. */
    static boolean comparableClocks() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }

    /**
     * Runs one trial.
     *
     * @param bench the workbench
     * @param launcher the image's {@code bin/lockstep}
     * @param scripts the migrations: the holder applies them, the processes find them applied
     * @param processes how many processes wait
     * @param latencies receives each process's latency, in milliseconds
     * @param attempts receives each process's lock attempts
     */
    static void trial(
            Workbench bench, Path launcher, Path scripts, int processes, List<Double> latencies, List<Double> attempts)
            throws Exception {
        Path database = bench.freshDatabase();
        List<Process> started = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<BufferedReader> outputs = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                ProcessBuilder builder = new ProcessBuilder(
                                launcher.toString(),
                                "worker",
                                "--database",
                                database.toString(),
                                "--migrations",
                                scripts.toString(),
                                "--owner",
                                "bench-waiting-process-" + p)
                        .redirectError(
                                bench.scratch().resolve("waiting-" + p + ".err").toFile());
                builder.environment().clear();
                builder.environment().putAll(bench.settings().childEnvironment());
                Process process = builder.start();
                started.add(process);
                outputs.add(
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (int p = 0; p < processes; p++) {
                expect(outputs.get(p), StartGate::isReady, bench, p, "reach the start gate");
            }

            CommitClock clock = new CommitClock();
            CountDownLatch holding = new CountDownLatch(1);
            AtomicLong holdingSince = new AtomicLong();
            MigrationConfig holderConfig = clock.holderConfig(database, scripts, () -> {
                holdingSince.set(System.nanoTime());
                // From here on: the read before the lock ends with a COMMIT too.
                clock.holdCommitsUntil(release, TIMEOUT_SECONDS);
                holding.countDown();
            });
            Future<MigrateResult> holder =
                    pool.submit(() -> Migrator.create(holderConfig).migrate());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!holding.await(100, TimeUnit.MILLISECONDS)) {
                if (holder.isDone()) {
                    holder.get(); // its error
                }
                BenchmarkFailure.check(
                        System.nanoTime() - deadline < 0,
                        "The holder of [" + database + "] never started its migration");
            }
            for (Process process : started) {
                StartGate.open(process);
            }
            for (int p = 0; p < processes; p++) {
                expect(outputs.get(p), WorkerReport.WAITING::equals, bench, p, "find the lock held");
            }
            // The holder's migration goes on a while after the last process started to wait, as a
            // real one does: a process that has just started its JVM is still compiling what it
            // runs, and twenty of those on a small machine measure the JIT, not the wake-up.
            TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
            release.countDown();
            BenchmarkFailure.check(
                    holder.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).applied().size() == 1,
                    "The holder of [" + database + "] did not apply its migration");
            long commit = clock.firstCommitAfter(holdingSince.get());
            for (int p = 0; p < processes; p++) {
                String line = expect(outputs.get(p), l -> WorkerReport.parse(l).isPresent(), bench, p, "report");
                WorkerReport report = WorkerReport.parse(line).orElseThrow();
                BenchmarkFailure.check(
                        report.applied() == 0 && report.appliedByOthers() == 1,
                        "Waiting process [" + p + "] did not find the holder's migration: " + line);
                latencies.add(Figures.millis(report.returnedNanos() - commit));
                attempts.add((double) report.lockAttempts());
            }
            for (Process process : started) {
                BenchmarkFailure.check(
                        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0,
                        "Waiting process [" + process.pid() + "] did not exit with 0");
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
            for (Process process : started) {
                process.destroyForcibly();
            }
            BenchmarkFailure.check(
                    pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "The holder thread did not terminate");
            bench.discard(database);
        }
    }

    // Reads a process's output up to the line it should print next; fails with its standard error if it ends first.
    private static String expect(
            BufferedReader output,
            java.util.function.Predicate<String> wanted,
            Workbench bench,
            int process,
            String what)
            throws IOException {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (wanted.test(line.strip())) {
                return line.strip();
            }
        }
        Path err = bench.scratch().resolve("waiting-" + process + ".err");
        String stderr = Files.exists(err)
                ? Files.readString(err, StandardCharsets.UTF_8).strip()
                : "";
        throw new BenchmarkFailure("Waiting process [" + process + "] ended before it could " + what + ": " + stderr);
    }
}

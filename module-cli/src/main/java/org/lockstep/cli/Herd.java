package org.lockstep.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A herd of worker processes of this same command ({@link WorkerCommand}) against one
 * database, released at the same instant.
 *
 * <p>Protocol: start every process; wait (bounded) until each has printed that it is ready,
 * so JVM start-up times do not spread the herd out; open every worker's {@link StartGate};
 * optionally kill some workers with SIGKILL
 * ({@link Process#destroyForcibly()}) at random moments within {@link #KILL_WINDOW}; wait
 * (bounded) for every exit. A worker that outlives the deadline is killed and reported as hung.
 * Workers get this process's environment without {@code LOCKSTEP_*} variables: everything they
 * need is on their command line.
 */
final class Herd {
    /** The most workers a herd may have. */
    static final int MAX_WORKERS = 100;
    /** Killed workers die at a uniformly random moment this long after the gate opens. */
    static final Duration KILL_WINDOW = Duration.ofSeconds(2);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * How one worker ended.
     *
     * @param owner its name in the history table
     * @param exitCode its exit code; 137 after SIGKILL
     * @param killed whether it was killed while it ran
     * @param hung whether it outlived the deadline (and was then killed)
     * @param report what it reported, if it finished
     * @param stderr what it printed to standard error
     */
    record Outcome(
            String owner, int exitCode, boolean killed, boolean hung, Optional<WorkerReport> report, String stderr) {}

    private Herd() {}

    /**
     * Runs one herd and returns how each worker ended, in the order of {@code owners}.
     *
     * @param owners the workers' names, one per worker
     * @param arguments the {@code worker} command's options for a worker's name
     * @param killRate the chance that a worker is killed, 0 to 1
     * @param random picks which workers die and when
     * @param deadline how long the workers may run after the gate opens
     * @throws EnvironmentException if a worker cannot be started or does not get ready
     */
    static List<Outcome> run(
            List<String> owners,
            Function<String, List<String>> arguments,
            double killRate,
            Random random,
            Duration deadline) {
        List<String> launch = SelfCommand.current();
        List<Worker> workers = new ArrayList<>();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lockstep-herd-killer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (String owner : owners) {
                List<String> command = new ArrayList<>(launch);
                command.add("worker");
                command.addAll(arguments.apply(owner));
                ProcessBuilder builder = new ProcessBuilder(command);
                builder.environment().keySet().removeIf(name -> name.startsWith("LOCKSTEP_"));
                workers.add(Worker.start(owner, builder));
            }
            long readyBy = System.nanoTime() + READY_TIMEOUT.toNanos();
            for (Worker worker : workers) {
                worker.awaitReady(readyBy);
            }
            for (Worker worker : workers) {
                worker.openGate();
            }
            long exitBy = System.nanoTime() + deadline.toNanos();
            for (Worker worker : workers) {
                if (random.nextDouble() < killRate) {
                    killer.schedule(worker::kill, random.nextInt((int) KILL_WINDOW.toMillis()), TimeUnit.MILLISECONDS);
                }
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Worker worker : workers) {
                outcomes.add(worker.awaitExit(exitBy));
            }
            return outcomes;
        } finally {
            killer.shutdownNow();
            for (Worker worker : workers) {
                worker.process.destroyForcibly();
            }
        }
    }

    /** One worker process and the threads that read its output. */
    private static final class Worker {
        private final String owner;
        private final Process process;
        private final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        private final CompletableFuture<List<String>> output;
        private final CompletableFuture<String> stderr;
        private final AtomicBoolean killed = new AtomicBoolean();

        private Worker(String owner, Process process) {
            this.owner = owner;
            this.process = process;
            this.output = read(process.getInputStream(), owner + "-out", true);
            this.stderr = read(process.getErrorStream(), owner + "-err", false)
                    .thenApply(lines -> String.join(System.lineSeparator(), lines));
        }

        static Worker start(String owner, ProcessBuilder builder) {
            try {
                return new Worker(owner, builder.start());
            } catch (IOException e) {
                throw new EnvironmentException(
                        "Worker [" + owner + "] cannot be started with ["
                                + builder.command().get(0) + "]: " + e.getMessage(),
                        e);
            }
        }

        // A thread per stream: the pipes must be drained while the worker runs, and the ready
        // line is the first line of standard output.
        private CompletableFuture<List<String>> read(InputStream stream, String name, boolean watchReady) {
            CompletableFuture<List<String>> lines = new CompletableFuture<>();
            Thread thread = new Thread(
                    () -> {
                        List<String> read = new ArrayList<>();
                        try (BufferedReader reader =
                                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                                if (watchReady && !ready.isDone() && StartGate.isReady(line)) {
                                    ready.complete(true);
                                } else {
                                    read.add(line);
                                }
                            }
                        } catch (IOException e) {
                            read.add("(output unreadable: " + e + ")");
                        } finally {
                            if (watchReady) {
                                ready.complete(false);
                            }
                            lines.complete(read);
                        }
                    },
                    "lockstep-herd-" + name);
            thread.setDaemon(true);
            thread.start();
            return lines;
        }

        void awaitReady(long readyBy) {
            boolean isReady;
            try {
                isReady = ready.get(Math.max(0, readyBy - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new EnvironmentException(
                        "Worker [" + owner + "] did not get ready within " + READY_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("Interrupted while worker [" + owner + "] got ready", e);
            } catch (ExecutionException e) {
                throw new EnvironmentException(
                        "Worker [" + owner + "] could not be read: " + e.getCause(), e.getCause());
            }
            if (!isReady) {
                throw new EnvironmentException("Worker [" + owner + "] exited before its start gate: "
                        + stderr.getNow("").strip());
            }
        }

        void openGate() {
            try {
                StartGate.open(process);
            } catch (IOException e) {
                // It died after it got ready; its exit code tells the rest.
            }
        }

        void kill() {
            if (process.isAlive()) {
                killed.set(true);
                process.destroyForcibly();
            }
        }

        Outcome awaitExit(long exitBy) {
            boolean hung;
            try {
                hung = !process.waitFor(Math.max(0, exitBy - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (hung) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                List<String> lines = output.get(10, TimeUnit.SECONDS);
                Optional<WorkerReport> report = lines.stream()
                        .map(WorkerReport::parse)
                        .flatMap(Optional::stream)
                        .findFirst();
                return new Outcome(
                        owner,
                        process.isAlive() ? -1 : process.exitValue(),
                        killed.get(),
                        hung,
                        report,
                        stderr.get(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("Interrupted while waiting for worker [" + owner + "]", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new EnvironmentException("The output of worker [" + owner + "] cannot be read", e);
            }
        }
    }
}

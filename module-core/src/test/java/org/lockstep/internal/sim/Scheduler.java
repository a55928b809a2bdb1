package org.lockstep.internal.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.lockstep.internal.protocol.Sleeper;

/**
 * Runs simulated workers one at a time, in an order the tape decides.
 *
 * <p>Each worker is a real thread running the real protocol code, but it may only run between
 * two yield points while the scheduler waits for it: every database call, clock read and
 * sleep first calls {@link Worker#yieldAt}, which hands control back and blocks until the
 * scheduler picks this worker again. So exactly one thread runs at any moment, the
 * interleaving is a pure function of the tape, and a case replays exactly.
 *
 * <p>Time is simulated: it starts at 0, advances by 0.1 to 2.1 ms per step (the cost of doing
 * something), and jumps to the next wake-up when every live worker sleeps. A sleep never
 * takes real time.
 *
 * <p>At any yield point the tape may crash the worker: its call throws {@link Crash}, the
 * simulated file drops its open transaction and lock, and (if the case says so) a new
 * incarnation of the worker starts over, as a restarted process would.
 */
final class Scheduler {
    /** What a worker runs: its protocol call, given its clock and sleeper. */
    interface Body {
        Object run(Worker worker) throws Exception;
    }

    private static final long STEP_NANOS = 100_000;
    private static final int FAIRNESS = 64;

    private final Tape tape;
    private final List<String> trace;
    private final Semaphore back = new Semaphore(0);
    private final List<Worker> workers = new ArrayList<>();
    private final List<Worker> finished = new ArrayList<>();
    private long nanos;
    private int crashesLeft;
    private final int crashPercent;
    private final boolean restart;
    private final int maxSteps;
    private long steps;

    Scheduler(Tape tape, List<String> trace, int maxCrashes, int crashPercent, boolean restart, int maxSteps) {
        this.tape = tape;
        this.trace = trace;
        this.crashesLeft = maxCrashes;
        this.crashPercent = crashPercent;
        this.restart = restart;
        this.maxSteps = maxSteps;
    }

    /** A simulated worker: one thread, one identity, possibly several incarnations. */
    final class Worker {
        final String name;
        final int incarnation;
        private final Body body;
        private final Semaphore go = new Semaphore(0);
        private String waitingAt = "start";
        private long wakeAtNanos = -1;
        private long runnableSinceStep;
        private boolean crashNow;
        private boolean aborted;
        volatile boolean dead;
        volatile boolean done;
        Object result;
        Throwable failure;
        long finishedAtMillis;
        long startedAtMillis = -1;

        private Worker(String name, int incarnation, Body body) {
            this.name = name;
            this.incarnation = incarnation;
            this.body = body;
        }

        /** Hands control to the scheduler before {@code event}; returns when picked again. */
        void yieldAt(String event) {
            if (dead) {
                throw new Crash();
            }
            if (body == null) {
                return; // a direct worker, driven call by call by a test
            }
            waitingAt = event;
            back.release();
            go.acquireUninterruptibly();
            if (aborted) {
                dead = true;
                throw new Crash();
            }
            if (crashNow) {
                dead = true;
                log("CRASH before " + event);
                throw new Crash();
            }
        }

        void log(String line) {
            trace.add(String.format("%8.1f ms  %s: %s", nanos / 1e6, name, line));
        }

        /** The worker's view of simulated time; every read is a yield point. */
        Clock clock() {
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public long millis() {
                    yieldAt("clock");
                    if (startedAtMillis < 0) {
                        startedAtMillis = nowMillis(); // the call's own clock starts here
                    }
                    return nowMillis();
                }

                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(millis());
                }
            };
        }

        Sleeper sleeper() {
            return duration -> {
                if (dead) {
                    throw new Crash();
                }
                wakeAtNanos = nanos + Math.max(0, duration.toNanos());
                yieldAt("sleep " + duration.toNanos() / 1000 + " us");
            };
        }

        private void start() {
            Thread thread = new Thread(
                    () -> {
                        go.acquireUninterruptibly();
                        try {
                            result = body.run(this);
                        } catch (Crash crash) {
                            dead = true;
                        } catch (Throwable t) {
                            failure = t;
                        }
                        done = true;
                        finishedAtMillis = nowMillis();
                        back.release();
                    },
                    "sim-" + name + "#" + incarnation);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * A worker with no thread and no scheduling, whose calls run at once: for tests that
     * drive the simulated database call by call, such as the differential test.
     */
    Worker direct(String name) {
        return new Worker(name, 0, null);
    }

    long nowMillis() {
        return nanos / 1_000_000;
    }

    /** Adds a worker; it runs only when the scheduler picks it. */
    Worker spawn(String name, Body body) {
        return spawn(name, 0, body);
    }

    private Worker spawn(String name, int incarnation, Body body) {
        Worker worker = new Worker(name, incarnation, body);
        workers.add(worker);
        worker.start();
        return worker;
    }

    /**
     * Runs every worker to the end.
     *
     * @param afterStep called after each step with the current time, e.g. to check invariants
     *     and to release an outside lock whose time is up
     * @param nextEvent the time (ms) of the next outside event, or -1 for none
     * @return every incarnation that ended, in the order they ended
     */
    List<Worker> run(Runnable afterStep, Function<Long, Long> nextEvent) {
        try {
            return runToEnd(afterStep, nextEvent);
        } catch (RuntimeException | Error e) {
            abortAll();
            throw e;
        }
    }

    // Ends every live worker thread, one at a time, so that a failed case leaks no threads.
    private void abortAll() {
        for (Worker worker : workers) {
            worker.aborted = true;
            worker.go.release();
            back.acquireUninterruptibly();
        }
        workers.clear();
    }

    private List<Worker> runToEnd(Runnable afterStep, Function<Long, Long> nextEvent) {
        while (!workers.isEmpty()) {
            if (++steps > maxSteps) {
                throw new AssertionError("no progress after " + maxSteps + " steps (livelock or hang); live: "
                        + workers.stream()
                                .map(w -> w.name + " at " + w.waitingAt)
                                .toList());
            }
            List<Worker> runnable = new ArrayList<>();
            long earliestWake = Long.MAX_VALUE;
            for (Worker worker : workers) {
                if (worker.wakeAtNanos < 0 || worker.wakeAtNanos <= nanos) {
                    runnable.add(worker);
                } else {
                    earliestWake = Math.min(earliestWake, worker.wakeAtNanos);
                }
            }
            if (runnable.isEmpty()) {
                long event = nextEvent.apply(nowMillis());
                long eventNanos = event >= 0 ? event * 1_000_000 : Long.MAX_VALUE;
                nanos = Math.max(nanos, Math.min(earliestWake, eventNanos));
                afterStep.run();
                continue;
            }
            Worker worker = runnable.get(tape.draw(runnable.size()));
            // Fairness, as any real scheduler gives: a worker left runnable for FAIRNESS steps
            // runs next. Without it a schedule of zeros would spin one poller forever while
            // the lock holder never runs, a livelock no operating system produces.
            for (Worker starving : runnable) {
                if (steps - starving.runnableSinceStep > FAIRNESS
                        && starving.runnableSinceStep < worker.runnableSinceStep) {
                    worker = starving;
                }
            }
            worker.wakeAtNanos = -1;
            // Every step costs time, at least 0.1 ms: a schedule of zeros must still let
            // time pass, or a deadline would never come.
            nanos += STEP_NANOS + tape.draw(3) * 1_000_000L;
            if (crashesLeft > 0 && !worker.waitingAt.equals("start") && tape.chance(crashPercent)) {
                crashesLeft--;
                worker.crashNow = true;
            }
            worker.go.release();
            back.acquireUninterruptibly();
            worker.runnableSinceStep = steps;
            if (worker.done) {
                workers.remove(worker);
                finished.add(worker);
                if (worker.dead && restart) {
                    trace.add(worker.name + ": RESTART");
                    spawn(worker.name, worker.incarnation + 1, worker.body);
                }
            }
            afterStep.run();
        }
        return finished;
    }

    /** Returns how many steps ran. */
    long steps() {
        return steps;
    }

    static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}

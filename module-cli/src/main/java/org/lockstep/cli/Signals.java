package org.lockstep.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.lockstep.MigrationInterruptedException;

/**
 * {@code SIGTERM} and {@code SIGINT} for the command that {@link Main} runs; never for the
 * in-process tool, whose host owns its signals.
 *
 * <p>The first signal while a migration runs (waiting for the lock, or applying) cancels it
 * through {@link org.lockstep.Migrator#cancel()}: it rolls back explicitly and closes its
 * connection, so SQLite leaves no hot journal for the next opener, and the command prints one
 * line saying what was rolled back and what state the database is in, and exits with 128 + the
 * signal's number (143, 130). The command waits for that at most {@link #ROLLBACK_BOUND}, then
 * exits anyway. A second signal exits at once. A signal while no migration runs exits at once:
 * there is nothing to roll back.
 *
 * <p>Why {@code sun.misc.Signal} (module {@code jdk.unsupported}, linked into the runtime image
 * for it) and not a shutdown hook: a hook cannot tell which signal came, so it cannot name it,
 * and a second signal cannot cut a hook short. The JDK's supported API has no signal handling.
 *
 * <p>Thread-safe: handlers run on threads of their own, one per signal.
 */
final class Signals {
    /** A signal the command handles. */
    enum Kind {
        /** {@code SIGTERM}: a service manager or {@code kill} asks the process to end. */
        TERM("SIGTERM", ExitCode.SIGTERM),
        /** {@code SIGINT}: Ctrl-C. */
        INT("SIGINT", ExitCode.SIGINT);

        final String signal;
        final ExitCode exit;

        Kind(String signal, ExitCode exit) {
            this.signal = signal;
            this.exit = exit;
        }
    }

    /** The longest the command waits after the first signal for the migration to roll back. */
    static final Duration ROLLBACK_BOUND = Duration.ofSeconds(10);

    private static final Duration CANCEL_AGAIN = Duration.ofMillis(20);

    // Process-wide, as signals are: installed once, by Main only.
    private static volatile Signals installed;

    private final IntConsumer exit;
    private final PrintStream err;
    private final Duration bound;
    private final Object lock = new Object();
    // Guarded by lock.
    private Kind received;
    private Runnable cancel;
    private boolean reported;

    Signals(IntConsumer exit, PrintStream err, Duration bound) {
        this.exit = exit;
        this.err = err;
        this.bound = bound;
    }

    /**
     * Handles {@code SIGTERM} and {@code SIGINT} for the rest of this process's life. A signal
     * the JVM or the operating system keeps for itself (a JVM run with {@code -Xrs}, a signal
     * ignored when the process started) keeps its default.
     *
     * @param exit ends the process with a code (Main's, the one place that exits)
     * @param err where the command's error lines go
     */
    static void install(IntConsumer exit, PrintStream err) {
        Signals signals = new Signals(exit, err, ROLLBACK_BOUND);
        for (Kind kind : Kind.values()) {
            try {
                sun.misc.Signal.handle(
                        new sun.misc.Signal(kind.signal.substring("SIG".length())), signal -> signals.handle(kind));
            } catch (IllegalArgumentException e) {
                // Kept by the JVM or ignored by the parent: the default stays.
            }
        }
        installed = signals;
    }

    /**
     * Runs {@code work}, which {@code cancel} stops from another thread, so that a signal while it
     * runs cancels it; without installed handlers (the in-process tool) just runs it.
     *
     * @param cancel stops the work, e.g. {@code migrator::cancel}; may be called many times
     * @param work the work
     * @return what the work returned
     */
    static <T> T cancellable(Runnable cancel, Supplier<T> work) {
        Signals signals = installed;
        if (signals == null) {
            return work.get();
        }
        signals.started(cancel);
        try {
            return work.get();
        } finally {
            signals.finished();
        }
    }

    /**
     * Returns the exit code and the line to print for a failure that a signal caused, if one did:
     * a migration cancelled after a signal.
     *
     * @param failure the failure
     * @return the signal's exit code
     */
    static Optional<ExitCode> exitCodeFor(Exception failure) {
        Signals signals = installed;
        if (signals == null || !(failure instanceof MigrationInterruptedException interrupted)) {
            return Optional.empty();
        }
        synchronized (signals.lock) {
            if (signals.received == null || !interrupted.cancelled()) {
                return Optional.empty();
            }
            signals.reported = true;
            return Optional.of(signals.received.exit);
        }
    }

    /** Returns what to say before the failure's message for a signal's failure, e.g. {@code SIGTERM received: }. */
    static String prefix() {
        Signals signals = installed;
        if (signals == null) {
            return "";
        }
        synchronized (signals.lock) {
            return signals.received == null ? "" : signals.received.signal + " received: ";
        }
    }

    /**
     * Returns the process's exit code once the command returned {@code code}: the signal's, if
     * one came (saying so if the command finished without reporting it), else {@code code}.
     *
     * @param code what the command returned
     * @return the exit code
     */
    static int exitCode(int code) {
        Signals signals = installed;
        if (signals == null) {
            return code;
        }
        synchronized (signals.lock) {
            if (signals.received == null) {
                return code;
            }
            if (!signals.reported) {
                signals.err.println("lockstep: " + signals.received.signal + " received as the command finished"
                        + " (exit code " + code + " without it); what it reported above stands");
            }
            return signals.received.exit.code;
        }
    }

    void started(Runnable work) {
        synchronized (lock) {
            cancel = work;
        }
    }

    void finished() {
        synchronized (lock) {
            cancel = null;
            lock.notifyAll();
        }
    }

    /** The handler: see the class comment. Runs on a thread of its own, so it may wait. */
    void handle(Kind kind) {
        Runnable work;
        synchronized (lock) {
            if (received != null) {
                err.println("lockstep: " + kind.signal + " again: exiting at once, without waiting for the rollback;"
                        + " the database rolls back what was not committed (SQLite when it is next opened,"
                        + " PostgreSQL when the connection closes)");
                err.flush();
                exit.accept(kind.exit.code);
                return;
            }
            received = kind;
            work = cancel;
        }
        if (work == null) {
            err.println("lockstep: " + kind.signal + " received; no migration was running, so nothing to roll back");
            err.flush();
            exit.accept(kind.exit.code);
            return;
        }
        // Cancelled again until the work ends: a call that had not started when the first
        // cancel came would not see it.
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (lock) {
            while (cancel != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    err.println("lockstep: " + kind.signal + " received, but the rollback did not finish within ["
                            + bound.toMillis() + " ms]; exiting without it: the database rolls back what was not"
                            + " committed (SQLite when it is next opened, PostgreSQL when the connection closes)");
                    err.flush();
                    exit.accept(kind.exit.code);
                    return;
                }
                Runnable running = cancel;
                running.run();
                try {
                    lock.wait(Math.max(1, Math.min(CANCEL_AGAIN.toMillis(), left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        // The work ended: the command's thread reports and exits with the signal's code.
    }
}

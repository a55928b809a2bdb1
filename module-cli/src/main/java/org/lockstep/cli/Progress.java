package org.lockstep.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;

/**
 * Progress of a long migration on stderr: once a migration has run for a second, one line a
 * second saying which statement runs, e.g. {@code   004 backfill notes: statement 1 of 2, 3.2 s}.
 * A ticker prints it rather than the listener calls, because one slow statement (a backfill)
 * is the usual reason a migration is long, and it would otherwise print nothing until it
 * ends. A wait for the lock gets the same treatment. Close it when the migration returns.
 */
final class Progress implements MigrationListener, AutoCloseable {
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final long TICK_MILLIS = 100;

    /** What runs now: a statement of a migration, or a wait for the lock. */
    private record Running(String what, long startNanos, int statement, int statements) {}

    private final PrintWriter err;
    private final ScheduledExecutorService ticker;
    private volatile Running running;
    private long lastPrintNanos; // only the ticker thread reads and writes it

    private Progress(PrintWriter err) {
        this.err = err;
        this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lockstep-progress");
            thread.setDaemon(true);
            return thread;
        });
        // Ticks often, prints at most once a second: a tick every second could fall just
        // before the one-second mark and then after the migration ended, printing nothing.
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts a ticker that prints to {@code err}. */
    static Progress to(PrintWriter err) {
        return new Progress(err);
    }

    @Override
    public void lockBusy(Duration waited, int attempts) {
        Running now = running;
        if (now == null || now.statements() != 0) {
            running = new Running("waiting for the migration lock", System.nanoTime() - waited.toNanos(), 0, 0);
        }
    }

    @Override
    public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
        String what = version.map(v -> v + " " + description(script)).orElse("repeatable " + description(script));
        running = new Running(what, System.nanoTime(), 1, statements);
    }

    @Override
    public void statementCompleted(
            Optional<MigrationVersion> version, int statement, int statements, Duration elapsed) {
        Running now = running;
        if (now != null && now.statements() != 0) {
            running = statement < statements
                    ? new Running(now.what(), now.startNanos(), statement + 1, statements)
                    : null;
        }
    }

    private void tick() {
        Running now = running;
        if (now == null) {
            return;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - now.startNanos());
        long nowNanos = System.nanoTime();
        if (elapsed.compareTo(FIRST) < 0 || lastPrintNanos != 0 && nowNanos - lastPrintNanos < FIRST.toNanos()) {
            return;
        }
        lastPrintNanos = nowNanos;
        String seconds = String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
        String line = now.statements() == 0
                ? "  " + now.what() + ", " + seconds
                : "  " + now.what() + ": statement " + now.statement() + " of " + now.statements() + ", " + seconds;
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    // The listener hears the file name; the description is the part after the version, as
    // status shows it: V3.1__index_titles.sql -> index titles, R__views.sql -> views. A Java
    // migration is its class name.
    private static String description(String script) {
        return script.replaceFirst("\\.sql$", "")
                .replaceFirst("^(V?[0-9.]+__?|R__)", "")
                .replace('_', ' ')
                .strip();
    }

    @Override
    public void close() {
        running = null;
        ticker.shutdownNow();
    }
}

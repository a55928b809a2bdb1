package org.lockstep.cli.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An approximation of peak heap use without {@code java.management} (which would grow the
 * runtime image): a background thread samples {@code Runtime.totalMemory() - freeMemory()}
 * while a measured call runs, and reports the largest sample above the heap in use, after a
 * collection, when sampling started.
 *
 * <p>Two modes. Plain sampling (every millisecond) sees live objects and garbage not yet
 * collected, so it is bounded by the young generation's size and says more about the
 * collector than about the call. Collecting sampling runs {@link System#gc()} before each
 * sample (every {@value #COLLECTING_PERIOD_MILLIS} ms), so each sample is the live heap at
 * that moment: a better estimate of what the call retains, and far too intrusive to time.
 */
final class HeapSampler implements AutoCloseable {
    private static final long PLAIN_PERIOD_MILLIS = 1;
    private static final long COLLECTING_PERIOD_MILLIS = 10;

    private final Runtime runtime = Runtime.getRuntime();
    private final boolean collecting;
    private final long baseline;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long peak;

    private HeapSampler(boolean collecting) {
        this.collecting = collecting;
        System.gc();
        this.baseline = used();
        this.peak = baseline;
        this.thread = new Thread(this::sample, "lockstep-bench-heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling every millisecond, without collecting. */
    static HeapSampler plain() {
        return new HeapSampler(false);
    }

    /** Starts sampling the live heap: a full collection before each sample. */
    static HeapSampler collecting() {
        return new HeapSampler(true);
    }

    /** Returns the largest sample above the baseline so far, in bytes. */
    long peakAboveBaseline() {
        return Math.max(0, peak - baseline);
    }

    /** Stops sampling, after one last sample. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        peak = Math.max(peak, used());
    }

    private void sample() {
        long period = TimeUnit.MILLISECONDS.toNanos(collecting ? COLLECTING_PERIOD_MILLIS : PLAIN_PERIOD_MILLIS);
        while (!stopped) {
            if (collecting) {
                System.gc();
            }
            long used = used();
            if (used > peak) {
                peak = used;
            }
            LockSupport.parkNanos(period);
        }
    }

    private long used() {
        return runtime.totalMemory() - runtime.freeMemory();
    }
}

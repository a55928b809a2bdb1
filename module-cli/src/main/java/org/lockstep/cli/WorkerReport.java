package org.lockstep.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lockstep.MigrateResult;

/**
 * What one worker of a herd did, as the hidden {@code worker} command prints it on one line of
 * standard output and {@link Herd} reads it back.
 *
 * @param applied how many migrations it applied
 * @param appliedByOthers how many it found applied by another worker
 * @param lockWaitMillis how long it waited for the lock
 * @param lockAttempts how many times it tried to take the lock
 * @param returnedNanos the {@link System#nanoTime()} at which {@code migrate()} returned: on
 *     Linux the monotonic clock, which every process of the host reads alike (the bench's
 *     wake-up latency of waiting processes)
 */
public record WorkerReport(
        int applied, int appliedByOthers, long lockWaitMillis, int lockAttempts, long returnedNanos) {
    /** The line a worker prints, before its report, when it first finds the lock held. */
    public static final String WAITING = "lockstep-worker waiting";

    private static final Pattern LINE = Pattern.compile(
            "lockstep-worker applied=(\\d+) others=(\\d+) waitMillis=(\\d+) attempts=(\\d+) returnedNanos=(-?\\d+)");

    static WorkerReport of(MigrateResult result, long returnedNanos) {
        return new WorkerReport(
                result.applied().size(),
                result.appliedByOthers().size(),
                result.lockWait().toMillis(),
                result.lockAttempts(),
                returnedNanos);
    }

    String line() {
        return "lockstep-worker applied=" + applied + " others=" + appliedByOthers + " waitMillis=" + lockWaitMillis
                + " attempts=" + lockAttempts + " returnedNanos=" + returnedNanos;
    }

    /**
     * Reads a line the {@code worker} command printed.
     *
     * @param line the line
     * @return the report, or empty if the line is not one
     */
    public static Optional<WorkerReport> parse(String line) {
        Matcher matcher = LINE.matcher(line.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerReport(
                Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)),
                Long.parseLong(matcher.group(3)),
                Integer.parseInt(matcher.group(4)),
                Long.parseLong(matcher.group(5))));
    }
}

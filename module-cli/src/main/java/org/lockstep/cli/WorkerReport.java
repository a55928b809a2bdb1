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
 */
record WorkerReport(int applied, int appliedByOthers, long lockWaitMillis, int lockAttempts) {
    private static final Pattern LINE =
            Pattern.compile("lockstep-worker applied=(\\d+) others=(\\d+) waitMillis=(\\d+) attempts=(\\d+)");

    static WorkerReport of(MigrateResult result) {
        return new WorkerReport(
                result.applied().size(),
                result.appliedByOthers().size(),
                result.lockWait().toMillis(),
                result.lockAttempts());
    }

    String line() {
        return "lockstep-worker applied=" + applied + " others=" + appliedByOthers + " waitMillis=" + lockWaitMillis
                + " attempts=" + lockAttempts;
    }

    static Optional<WorkerReport> parse(String line) {
        Matcher matcher = LINE.matcher(line.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerReport(
                Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)),
                Long.parseLong(matcher.group(3)),
                Integer.parseInt(matcher.group(4))));
    }
}

package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before attempt {@code n + 1} wait a uniformly random
 * time in {@code [0, min(max, base * 2^(n-1))]}.
 *
 * @param base the first ceiling
 * @param max the largest ceiling
 */
public record Backoff(Duration base, Duration max) {

    /**
     * The defaults: 1 ms doubling to 8 ms. See {@link MigrationProtocol} for why the waits
     * are this short.
     */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(1), Duration.ofMillis(8));

    /**
     * Returns how long to wait after the given failed attempt.
     *
     * @param failedAttempts how many attempts failed so far, at least 1
     * @param random the jitter source
     * @return the wait
     */
    public Duration delay(int failedAttempts, RandomGenerator random) {
        long baseNanos = base.toNanos();
        int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long ceiling = Math.min(max.toNanos(), baseNanos > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseNanos << shift);
        return Duration.ofNanos(ceiling <= 0 ? 0 : random.nextLong(ceiling + 1));
    }
}

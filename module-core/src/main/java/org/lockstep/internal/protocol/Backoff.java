package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before attempt {@code n + 1} wait a uniformly random
 * time in {@code [0, min(max, base * 2^(n-1))]}, watching every {@code watch} for a commit
 * elsewhere that ends the wait early.
 *
 * @param base the first ceiling
 * @param max the largest ceiling
 * @param watch how often a waiter looks whether another connection committed
 */
public record Backoff(Duration base, Duration max, Duration watch) {

    /**
     * The defaults: 1 ms doubling to 8 ms, watching every 0.25 ms. See {@link MigrationProtocol}
     * for why the waits are this short.
     */
    public static final Backoff DEFAULT = new Backoff(
            Duration.ofMillis(1), Duration.ofMillis(8), Duration.ofMillis(1).dividedBy(4));

    /**
     * A backoff that watches for commits no more often than it tries.
     *
     * @param base the first ceiling
     * @param max the largest ceiling
     */
    public Backoff(Duration base, Duration max) {
        this(base, max, max);
    }

    /**
     * Returns how long to wait after the given failed attempt.
     *
     * @param failedAttempts how many attempts failed so far, at least 1
     * @param random the jitter source
     * @return the wait
     */
    public Duration delay(int failedAttempts, RandomGenerator random) {
        long maxNanos = saturatedNanos(max);
        long ceiling = saturatedNanos(base);
        for (int i = 1; i < failedAttempts && ceiling < maxNanos; i++) {
            ceiling = ceiling > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : ceiling * 2;
        }
        ceiling = Math.min(ceiling, maxNanos);
        if (ceiling <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(ceiling == Long.MAX_VALUE ? random.nextLong(ceiling) : random.nextLong(ceiling + 1));
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}

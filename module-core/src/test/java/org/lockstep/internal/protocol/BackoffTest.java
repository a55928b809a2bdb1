package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class BackoffTest {

    /** Always draws the largest value allowed, so a delay shows its ceiling. */
    private static final class Highest implements RandomGenerator {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only bounded draws are expected");
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }

    private static long ceilingNanos(Backoff backoff, int failedAttempts) {
        long doubled = backoff.base().toNanos();
        for (int i = 1; i < failedAttempts && doubled < backoff.max().toNanos(); i++) {
            doubled *= 2;
        }
        return Math.min(backoff.max().toNanos(), doubled);
    }

    @Test
    void delayStaysWithinZeroAndTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(50));
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 1; attempt <= 40; attempt++) {
            long ceiling = ceilingNanos(backoff, attempt);
            for (int draw = 0; draw < 200; draw++) {
                Duration delay = backoff.delay(attempt, random);
                assertFalse(delay.isNegative(), "attempt " + attempt);
                assertTrue(delay.toNanos() <= ceiling, "attempt " + attempt + ": " + delay);
            }
        }
    }

    @Test
    void ceilingDoublesFromBaseUpToMax() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(8));
        List<Duration> ceilings = new ArrayList<>();
        for (int attempt = 1; attempt <= 6; attempt++) {
            ceilings.add(backoff.delay(attempt, new Highest()));
        }
        assertEquals(
                List.of(
                        Duration.ofMillis(1),
                        Duration.ofMillis(2),
                        Duration.ofMillis(4),
                        Duration.ofMillis(8),
                        Duration.ofMillis(8),
                        Duration.ofMillis(8)),
                ceilings);
    }

    @Test
    void largeAttemptCountsReachTheCapWithoutOverflow() {
        Backoff backoff = new Backoff(Duration.ofMillis(3), Duration.ofSeconds(7));
        for (int attempt : List.of(20, 31, 32, 63, 64, 1_000, Integer.MAX_VALUE)) {
            assertEquals(Duration.ofSeconds(7), backoff.delay(attempt, new Highest()), "attempt " + attempt);
        }
        Backoff huge = new Backoff(Duration.ofDays(1), Duration.ofDays(365));
        assertEquals(Duration.ofDays(365), huge.delay(Integer.MAX_VALUE, new Highest()));
    }

    @Test
    void jitterActuallyVaries() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(8));
        SplittableRandom random = new SplittableRandom(7);
        long distinct = IntStream.range(0, 100)
                .mapToObj(i -> backoff.delay(4, random))
                .distinct()
                .count();
        assertTrue(distinct > 50, "distinct delays: " + distinct);
    }

    @Test
    void zeroOrNegativeAttemptCountUsesBase() {
        Backoff backoff = new Backoff(Duration.ofMillis(2), Duration.ofMillis(8));
        assertEquals(Duration.ofMillis(2), backoff.delay(0, new Highest()));
        assertEquals(Duration.ofMillis(2), backoff.delay(-5, new Highest()));
    }

    @Test
    void zeroBaseNeverWaits() {
        Backoff backoff = new Backoff(Duration.ZERO, Duration.ofMillis(8));
        assertEquals(Duration.ZERO, backoff.delay(10, new SplittableRandom(1)));
    }

    @Test
    void sameSeedGivesSameDelays() {
        List<Duration> first = new ArrayList<>();
        List<Duration> second = new ArrayList<>();
        SplittableRandom a = new SplittableRandom(123_456_789L);
        SplittableRandom b = new SplittableRandom(123_456_789L);
        for (int attempt = 1; attempt <= 30; attempt++) {
            first.add(Backoff.DEFAULT.delay(attempt, a));
            second.add(Backoff.DEFAULT.delay(attempt, b));
        }
        assertEquals(first, second);
    }

    @Test
    void defaultIsOneMillisecondDoublingToEight() {
        assertEquals(Duration.ofMillis(1), Backoff.DEFAULT.base());
        assertEquals(Duration.ofMillis(8), Backoff.DEFAULT.max());
    }

    @Test
    void extremeDurationsSaturateInsteadOfOverflowing() {
        Backoff huge = new Backoff(Duration.ofNanos(Long.MAX_VALUE), Duration.ofDays(365_000));
        Duration delay = huge.delay(40, new Highest());
        assertTrue(delay.toNanos() > 0 && delay.toNanos() < Long.MAX_VALUE, delay.toString());
    }
}

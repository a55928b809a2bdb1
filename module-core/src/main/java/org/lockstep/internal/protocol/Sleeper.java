package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** How the protocol waits between lock attempts; a simulator substitutes simulated time. */
@FunctionalInterface
public interface Sleeper {
    /**
     * Parks the thread for the duration, to the microsecond: {@link Thread#sleep} before JDK 21
     * rounds any part of a millisecond up to a whole one, which would make the protocol's
     * 0.25 ms watch a 1 ms one. An interrupt ends it with {@link InterruptedException}, as
     * {@code Thread.sleep} does.
     */
    Sleeper SYSTEM = duration -> {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting");
            }
            LockSupport.parkNanos(left);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting");
        }
    };

    /**
     * Waits for the given time.
     *
     * @param duration how long
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void sleep(Duration duration) throws InterruptedException;
}

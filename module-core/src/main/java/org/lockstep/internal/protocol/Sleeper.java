package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How the protocol waits between lock attempts; a simulator substitutes simulated time. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps with {@link Thread#sleep}: the real thing. */
    Sleeper SYSTEM = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

    /**
     * Waits for the given time.
     *
     * @param duration how long
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void sleep(Duration duration) throws InterruptedException;
}

package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Turns at the database lock among the threads of one process: the first thread that finds
 * work pending contends for the database's lock, and the others wait here, in memory, until it
 * is done, then read the history again (and usually find the work done). Without it, twenty
 * threads of one application poll the same lock twenty times over, and the database sees a
 * herd where there is one process.
 */
public interface Turns {

    /** No coordination: every caller contends for the database lock itself (the simulation's workers). */
    Turns NONE = new Turns() {
        @Override
        public Turn tryTake(String key) {
            return Turn.FREE;
        }

        @Override
        public Turn take(String key, Duration max) {
            return Turn.FREE;
        }
    };

    /** The process-wide turns, one per database and history table. */
    Turns PROCESS = new Turns() {
        // Process-wide by nature, and bounded by the databases a process migrates.
        private final ConcurrentMap<String, Semaphore> turns = new ConcurrentHashMap<>();

        @Override
        public Turn tryTake(String key) {
            Semaphore turn = turns.computeIfAbsent(key, k -> new Semaphore(1));
            return turn.tryAcquire() ? turn::release : null;
        }

        @Override
        public Turn take(String key, Duration max) throws InterruptedException {
            Semaphore turn = turns.computeIfAbsent(key, k -> new Semaphore(1));
            return turn.tryAcquire(Math.max(0, max.toNanos()), TimeUnit.NANOSECONDS) ? turn::release : null;
        }
    };

    /**
     * Takes the turn at one database's lock if no other thread of this process has it.
     *
     * @param key the database and history table
     * @return the turn, to close when done with the lock; null if another thread has it
     */
    Turn tryTake(String key);

    /**
     * Takes the turn at one database's lock, waiting in memory while another thread of this
     * process has it.
     *
     * @param key the database and history table
     * @param max the longest to wait
     * @return the turn, to close when done with the lock; null if {@code max} passed first
     * @throws InterruptedException if the thread was interrupted while it waited
     */
    Turn take(String key, Duration max) throws InterruptedException;

    /** A turn taken; closing gives it to the next thread. */
    @FunctionalInterface
    interface Turn extends AutoCloseable {
        /** A turn that costs nothing: for {@link #NONE}. */
        Turn FREE = () -> {};

        @Override
        void close();
    }
}

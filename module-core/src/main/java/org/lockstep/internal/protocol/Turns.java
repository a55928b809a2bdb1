package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns at the database lock among the threads of one process: the first thread that finds
 * work pending contends for the database's lock, and the others wait here, in memory, until it
 * is done, then all read the history again at once (and usually find the work done). Without
 * it, twenty threads of one application poll the same lock twenty times over, and the database
 * sees a herd where there is one process.
 */
public interface Turns {

    /** No coordination: every caller contends for the database lock itself (the simulation's workers). */
    Turns NONE = new Turns() {
        @Override
        public Turn tryTake(String key) {
            return Turn.FREE;
        }

        @Override
        public boolean awaitRelease(String key, Duration max) {
            return true;
        }
    };

    /** The process-wide turns, one per database. */
    Turns PROCESS = new Turns() {
        // Process-wide by nature, and bounded by the databases a process migrates.
        private final ConcurrentMap<String, Holder> turns = new ConcurrentHashMap<>();

        @Override
        public Turn tryTake(String key) {
            return turns.computeIfAbsent(key, k -> new Holder()).tryTake();
        }

        @Override
        public boolean awaitRelease(String key, Duration max) throws InterruptedException {
            return turns.computeIfAbsent(key, k -> new Holder()).awaitRelease(max);
        }
    };

    /**
     * Takes the turn at one database's lock if no other thread of this process has it.
     *
     * @param key the database
     * @return the turn, to close when done with the lock; null if another thread has it
     */
    Turn tryTake(String key);

    /**
     * Waits, in memory, until the thread that has the turn gives it up; every waiter wakes then,
     * to read the history again before trying for the turn.
     *
     * @param key the database
     * @param max the longest to wait
     * @return whether the turn was given up within {@code max}
     * @throws InterruptedException if the thread was interrupted while it waited
     */
    boolean awaitRelease(String key, Duration max) throws InterruptedException;

    /** A turn taken; closing gives it up and wakes every thread waiting for it. */
    @FunctionalInterface
    interface Turn extends AutoCloseable {
        /** A turn that costs nothing: for {@link #NONE}. */
        Turn FREE = () -> {};

        @Override
        void close();
    }

    /** One database's turn: who has it, and how many times it was given up. */
    final class Holder {
        private boolean held;
        private long releases;

        synchronized Turn tryTake() {
            if (held) {
                return null;
            }
            held = true;
            return this::release;
        }

        private synchronized void release() {
            held = false;
            releases++;
            notifyAll();
        }

        synchronized boolean awaitRelease(Duration max) throws InterruptedException {
            long seen = releases;
            long deadline = System.nanoTime() + Math.max(0, max.toNanos());
            while (held && releases == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return true;
        }
    }
}

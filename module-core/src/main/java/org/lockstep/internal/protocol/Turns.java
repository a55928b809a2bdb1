package org.lockstep.internal.protocol;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.lockstep.internal.history.HistorySnapshot;

/**
 * Turns at the database among the threads of one process: the first thread that needs the
 * database takes the turn and opens a connection; the others wait here, in memory, until it is
 * done. When it found nothing to do, or committed the last of the work, and threads are waiting,
 * it leaves them the history it read ({@link Published}), so that they decide from it instead of
 * each reading the same rows again. Without it, twenty threads of one application poll the same
 * lock and read the same history twenty times over, and the database sees a herd where there is
 * one process.
 *
 * <p>What is published is only given to a thread whose wait began before the read did (the
 * turns keep one order of events per database, {@link Turn#mark()}): the history a waiter
 * decides from was read during its call, as its own read would have been.
 */
public interface Turns {

    /** No coordination: every caller contends for the database lock itself (the simulation's workers). */
    Turns NONE = new Turns() {
        @Override
        public Turn tryTake(String key) {
            return Turn.FREE;
        }

        @Override
        public Waiter waiter(String key) {
            return max -> Optional.empty();
        }
    };

    /** The process-wide turns, one per database. */
    Turns PROCESS = process();

    /** Returns new turns, shared by the callers given them (a process's, or a test's). */
    static Turns process() {
        return new Turns() {
            // One entry per database in use: a turn no thread holds or waits for is dropped (a
            // process that migrates a database per tenant would otherwise keep one per tenant).
            // A turn is taken, and a wait begun, inside the map's compute, so that a turn
            // dropped as idle is never one another thread is about to take.
            private final ConcurrentMap<String, Holder> turns = new ConcurrentHashMap<>();

            @Override
            public Turn tryTake(String key) {
                return withHolder(key, Holder::tryTake);
            }

            @Override
            public Waiter waiter(String key) {
                return withHolder(key, Holder::waiter);
            }

            // Uses the key's holder, made if there is none, inside the map's compute.
            private <T> T withHolder(String key, Function<Holder, T> use) {
                List<T> used = new ArrayList<>(1);
                turns.compute(key, (k, held) -> {
                    Holder holder = held == null ? new Holder(() -> dropIfIdle(k)) : held;
                    used.add(use.apply(holder));
                    return holder;
                });
                return used.get(0);
            }

            private void dropIfIdle(String key) {
                turns.computeIfPresent(key, (k, holder) -> holder.idle() ? null : holder);
            }

            @Override
            public int size() {
                return turns.size();
            }
        };
    }

    /**
     * Takes the turn at one database if no other thread of this process has it. A thread that has
     * it already (a listener of its deploy that calls {@code migrate()} on the same database) gets
     * {@link Turn#FREE}, which holds nothing: a thread waiting for itself would wait until its
     * lock timeout.
     *
     * @param key the database
     * @return the turn, to close when done with the database; null if another thread has it
     */
    Turn tryTake(String key);

    /**
     * Starts a wait for the turn at one database: the waiter counts as waiting (so the holder
     * publishes what it read) until it is closed, and is given only what was read after this call.
     *
     * @param key the database
     * @return the waiter
     */
    Waiter waiter(String key);

    /** Returns how many databases' turns are kept now: held or waited for. */
    default int size() {
        return 0;
    }

    /** A thread waiting for the turn. */
    @FunctionalInterface
    interface Waiter extends AutoCloseable {
        /**
         * Waits, in memory, until the turn is free or a holder publishes something newer than
         * what this waiter was given before.
         *
         * @param max the longest to wait
         * @return what holders published after this wait began and after what this waiter was
         *     given before, as one publication (every commit, the last read); empty if the turn was
         *     given up without publishing, or {@code max} passed
         * @throws InterruptedException if the thread was interrupted while it waited
         */
        Optional<Published> await(Duration max) throws InterruptedException;

        /** Stops counting this thread as waiting. */
        @Override
        default void close() {}
    }

    /** A turn taken; closing gives it up and wakes every thread waiting for it. */
    @FunctionalInterface
    interface Turn extends AutoCloseable {
        /** A turn that costs nothing: for {@link #NONE}. */
        Turn FREE = () -> {};

        /**
         * Returns a mark of this moment in the order of the turn's events, to take just before a
         * read (or a commit) whose outcome may be published.
         */
        default long mark() {
            return 0;
        }

        /** Returns true if a thread is waiting for this turn now, so that publishing is worth a read. */
        default boolean awaited() {
            return false;
        }

        /**
         * Leaves what this turn read for the threads waiting for it, given up at the next
         * {@link #close()}.
         *
         * @param published the read
         */
        default void publish(Published published) {}

        @Override
        void close();
    }

    /**
     * What the holder of a turn leaves its waiters: the migrations it committed, and the history
     * it read, to decide from.
     *
     * @param mark taken before the read began, and before the commit whose migrations it names
     * @param history what the read found; empty if there was no read (work is left to do, or it
     *     failed)
     * @param committed the migrations the holder committed just before, which its waiters count as
     *     applied by others during their call
     */
    record Published(long mark, Optional<HistorySnapshot> history, Set<MigrationKey> committed) {
        /** Copies the keys. */
        public Published {
            committed = Set.copyOf(committed);
        }
    }

    /**
     * One database's turn: who has it, who waits for it, and what was published while anyone
     * waited (every publication, not only the last: a waiter given the last only would not count
     * what an earlier holder committed as applied by others). Dropped when nobody waits, and
     * bounded: a waiter that missed the oldest of more than {@link #KEPT} publications counts
     * others' migrations by their timestamps only, as a call with no turns does.
     */
    final class Holder {
        static final int KEPT = 1024;

        // Called, outside this holder's lock, once a turn is given up or a waiter leaves.
        private final Runnable released;
        private boolean held;
        private Thread holder;
        private long marks;
        private int waiting;
        private final ArrayDeque<Published> published = new ArrayDeque<>();

        Holder(Runnable released) {
            this.released = released;
        }

        synchronized boolean idle() {
            return !held && waiting == 0;
        }

        synchronized Turn tryTake() {
            if (held) {
                return holder == Thread.currentThread() ? Turn.FREE : null;
            }
            held = true;
            holder = Thread.currentThread();
            return new Turn() {
                private Published read;

                @Override
                public long mark() {
                    return nextMark();
                }

                @Override
                public boolean awaited() {
                    return isAwaited();
                }

                @Override
                public void publish(Published what) {
                    read = what;
                }

                @Override
                public void close() {
                    release(read);
                    read = null;
                    released.run();
                }
            };
        }

        private synchronized long nextMark() {
            return ++marks;
        }

        private synchronized boolean isAwaited() {
            return waiting > 0;
        }

        private synchronized void release(Published read) {
            if (read != null && waiting > 0) {
                if (published.size() == KEPT) {
                    published.removeFirst();
                }
                published.addLast(read);
            }
            held = false;
            holder = null;
            notifyAll();
        }

        synchronized Waiter waiter() {
            waiting++;
            long since = ++marks;
            return new Waiter() {
                private long seen = since;
                private boolean closed;

                @Override
                public Optional<Published> await(Duration max) throws InterruptedException {
                    Published read = awaitRelease(seen, max);
                    if (read == null) {
                        return Optional.empty();
                    }
                    seen = read.mark();
                    return Optional.of(read);
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        leave();
                        released.run();
                    }
                }
            };
        }

        private synchronized void leave() {
            if (--waiting == 0) {
                published.clear();
            }
        }

        // Until the turn is free or something newer than seen is published; all of that, in one.
        private synchronized Published awaitRelease(long seen, Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + Math.max(0, max.toNanos());
            while (held && (published.isEmpty() || published.getLast().mark() <= seen)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return since(seen);
        }

        // What was published after seen, as one publication: the last read, every commit.
        private Published since(long seen) {
            long mark = seen;
            Optional<HistorySnapshot> history = Optional.empty();
            Set<MigrationKey> committed = new HashSet<>();
            for (Published read : published) {
                if (read.mark() > seen) {
                    mark = read.mark();
                    committed.addAll(read.committed());
                    if (read.history().isPresent()) {
                        history = read.history();
                    }
                }
            }
            return mark == seen ? null : new Published(mark, history, committed);
        }
    }
}

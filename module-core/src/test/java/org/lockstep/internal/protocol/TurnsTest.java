package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.HistorySnapshot;

/** The turns of a process's threads at one database, and the reads a holder leaves its waiters. */
final class TurnsTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    private static final Duration NONE = Duration.ZERO;
    private static final HistorySnapshot READ = new HistorySnapshot(true, List.of(), true);

    private final Turns turns = Turns.process();

    @Test
    void oneThreadHasTheTurnAtATimeAndEachDatabaseHasItsOwn() throws Exception {
        Turns.Turn first = turns.tryTake("a");

        assertNotNull(first);
        assertNull(takenByAnotherThread("a"), "taken");
        Turns.Turn other = turns.tryTake("b");
        assertNotNull(other, "another database's turn is free");
        first.close();
        assertNotNull(takenByAnotherThread("a"), "given up");
        other.close();
    }

    @Test
    void theThreadThatHasTheTurnIsNotMadeToWaitForItself() throws Exception {
        Turns.Turn outer = turns.tryTake("db");

        // A listener of the holder's deploy that migrates the same database on the same thread.
        Turns.Turn nested = turns.tryTake("db");

        assertSame(Turns.Turn.FREE, nested, "a turn that holds nothing");
        nested.close();
        assertNull(takenByAnotherThread("db"), "closing the nested turn does not give up the outer one");
        outer.close();
        assertNotNull(takenByAnotherThread("db"));
    }

    // Tries the turn from a thread of its own, and gives up what it took.
    private Turns.Turn takenByAnotherThread(String key) throws Exception {
        CompletableFuture<Turns.Turn> taken = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Turns.Turn turn = turns.tryTake(key);
            if (turn != null) {
                turn.close();
            }
            taken.complete(turn);
        });
        thread.start();
        return taken.get(10, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(30)
    void aWaiterIsGivenAReadThatBeganAfterItsWaitAndTheReadOnlyOnce() throws Exception {
        Turns.Turn holder = turns.tryTake("db");
        try (Turns.Waiter waiter = turns.waiter("db")) {
            assertTrue(holder.awaited());
            Turns.Published read = new Turns.Published(holder.mark(), Optional.of(READ), Set.of());
            holder.publish(read);
            assertEquals(Optional.empty(), waiter.await(NONE), "published when the turn is given up, not before");
            holder.close();

            assertEquals(Optional.of(read), waiter.await(LONG));
            Turns.Turn next = turns.tryTake("db");
            assertEquals(Optional.empty(), waiter.await(NONE), "the same read is not given twice");
            next.close();
        }
    }

    @Test
    @Timeout(30)
    void aWaiterIsNotGivenAReadThatBeganBeforeItsWait() throws Exception {
        Turns.Turn holder = turns.tryTake("db");
        long before = holder.mark(); // the read begins here, before the waiter comes
        try (Turns.Waiter waiter = turns.waiter("db")) {
            holder.publish(new Turns.Published(before, Optional.of(READ), Set.of()));
            holder.close();

            assertEquals(Optional.empty(), waiter.await(LONG), "free, with nothing for this waiter to decide from");
            assertNotNull(turns.tryTake("db"));
        }
    }

    @Test
    @Timeout(30)
    void aTurnGivenUpWithoutAReadWakesItsWaiters() throws Exception {
        Turns.Turn holder = turns.tryTake("db");
        try (Turns.Waiter waiter = turns.waiter("db")) {
            CompletableFuture<Optional<Turns.Published>> woken = new CompletableFuture<>();
            Thread waiting = new Thread(() -> {
                try {
                    woken.complete(waiter.await(LONG));
                } catch (InterruptedException e) {
                    woken.completeExceptionally(e);
                }
            });
            waiting.start();
            // Given up once the waiter is inside its wait, which only a wake-up ends before LONG.
            while (waiting.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            holder.close();

            assertEquals(Optional.empty(), woken.get(10, TimeUnit.SECONDS), "woken at once, not after its wait");
            assertNotNull(turns.tryTake("db"), "the turn is free for the waiter to take");
        }
    }

    @Test
    void aWaiterAtADatabaseNobodyHasTakenWaitsForNothing() throws Exception {
        try (Turns.Waiter waiter = turns.waiter("never taken")) {
            assertEquals(Optional.empty(), waiter.await(LONG));
        }
        assertNotNull(turns.tryTake("never taken"));
    }

    @Test
    @Timeout(30)
    void aWaiterIsGivenEveryCommitPublishedSinceItsWaitAndTheLastRead() throws Exception {
        MigrationKey first = key("1");
        MigrationKey second = key("2");
        MigrationKey before = key("0");
        Turns.Turn earlier = turns.tryTake("db");
        long beforeTheWait = earlier.mark();
        try (Turns.Waiter waiter = turns.waiter("db");
                Turns.Waiter other = turns.waiter("db")) {
            earlier.publish(new Turns.Published(beforeTheWait, Optional.empty(), Set.of(before)));
            earlier.close();
            Turns.Turn deploy = turns.tryTake("db");
            deploy.publish(new Turns.Published(deploy.mark(), Optional.empty(), Set.of(first)));
            deploy.close();
            Turns.Turn last = turns.tryTake("db");
            HistorySnapshot after = new HistorySnapshot(true, List.of(), false);
            long read = last.mark();
            last.publish(new Turns.Published(read, Optional.of(READ), Set.of(second)));
            last.close();
            Turns.Turn confirm = turns.tryTake("db");
            confirm.publish(new Turns.Published(confirm.mark(), Optional.of(after), Set.of()));
            confirm.close();

            Turns.Published given = waiter.await(LONG).orElseThrow();

            assertEquals(Set.of(first, second), given.committed(), "not what was committed before the wait");
            assertEquals(Optional.of(after), given.history(), "the last read");
            assertEquals(Optional.empty(), waiter.await(NONE), "given once");
            assertEquals(Set.of(first, second), other.await(LONG).orElseThrow().committed());
        }
        try (Turns.Waiter later = turns.waiter("db")) {
            assertEquals(Optional.empty(), later.await(LONG), "nothing is kept once nobody waits");
        }
    }

    @Test
    void nothingIsKeptForWaitersThatAreNotThere() throws Exception {
        Turns.Turn holder = turns.tryTake("db");
        holder.publish(new Turns.Published(holder.mark(), Optional.of(READ), Set.of()));
        holder.close();
        try (Turns.Waiter waiter = turns.waiter("db")) {
            assertEquals(Optional.empty(), waiter.await(LONG));
        }
    }

    private static MigrationKey key(String version) {
        return new MigrationKey(MigrationVersion.parse(version), "d", "c");
    }

    @Test
    void aTurnIsAwaitedOnlyWhileAWaiterIsOpen() {
        Turns.Turn holder = turns.tryTake("db");
        assertFalse(holder.awaited());
        Turns.Waiter waiter = turns.waiter("db");
        Turns.Waiter another = turns.waiter("db");
        waiter.close();
        waiter.close(); // twice is once
        assertTrue(holder.awaited(), "one still waits");
        another.close();
        assertFalse(holder.awaited());
        holder.close();
    }

    @Test
    void marksFollowOneOrder() {
        Turns.Turn holder = turns.tryTake("db");
        long first = holder.mark();
        long second = holder.mark();
        assertTrue(second > first);
        holder.close();
    }

    @Test
    void noTurnsCostNothing() throws Exception {
        Turns.Turn turn = Turns.NONE.tryTake("db");
        assertSame(Turns.Turn.FREE, turn);
        assertNotNull(Turns.NONE.tryTake("db"), "every caller has a turn");
        assertFalse(turn.awaited());
        try (Turns.Waiter waiter = Turns.NONE.waiter("db")) {
            assertEquals(Optional.empty(), waiter.await(LONG));
        }
    }

    @Test
    void aTurnNobodyHoldsOrWaitsForIsNotKept() throws Exception {
        // A process that migrates a database per tenant would otherwise keep a turn per tenant.
        for (int tenant = 0; tenant < 100; tenant++) {
            turns.tryTake("tenant-" + tenant).close();
        }
        assertEquals(0, turns.size());
        Turns.Turn held = turns.tryTake("db");
        Turns.Waiter waiter = turns.waiter("db");
        held.close();
        assertEquals(1, turns.size(), "kept while a thread waits for it");
        waiter.close();
        assertEquals(0, turns.size());
    }
}

package org.lockstep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The signal handler's rules, driven without signals: the first signal cancels the running
 * migration (again and again, until it ends) and lets the command exit with the signal's code;
 * a second signal exits at once; a signal with nothing running, or a rollback past its bound,
 * exits at once. What a real signal does to a real process is {@code SignalHerdIT}'s.
 */
final class SignalsTest {
    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(10)
    void firstSignalCancelsUntilTheWorkEndsAndExitsNothingItself() throws Exception {
        Signals signals = new Signals(exits::add, err, Duration.ofSeconds(5));
        CountDownLatch cancelledTwice = new CountDownLatch(2);
        signals.started(cancelledTwice::countDown);
        Thread handler = new Thread(() -> signals.handle(Signals.Kind.TERM));
        handler.start();

        assertTrue(cancelledTwice.await(5, TimeUnit.SECONDS), "cancelled again while the work ran");
        signals.finished();
        handler.join(5_000);

        assertTrue(!handler.isAlive());
        assertEquals(List.of(), exits, "the command's thread reports and exits, not the handler");
    }

    @Test
    @Timeout(10)
    void secondSignalExitsAtOnceWhileTheFirstWaitsForTheRollback() throws Exception {
        Signals signals = new Signals(exits::add, err, Duration.ofSeconds(30));
        CountDownLatch cancelled = new CountDownLatch(1);
        signals.started(cancelled::countDown); // a rollback that never ends
        Thread first = new Thread(() -> signals.handle(Signals.Kind.TERM));
        first.start();
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));

        long started = System.nanoTime();
        signals.handle(Signals.Kind.INT);

        assertEquals(List.of(130), exits);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "at once");
        assertTrue(err().contains("SIGINT again: exiting at once"), err());
        signals.finished();
        first.join(5_000);
    }

    @Test
    void aSignalWithNoMigrationRunningExitsAtOnce() {
        Signals signals = new Signals(exits::add, err, Duration.ofSeconds(30));

        signals.handle(Signals.Kind.INT);

        assertEquals(List.of(130), exits);
        assertTrue(err().contains("no migration was running"), err());
    }

    @Test
    @Timeout(10)
    void aRollbackPastItsBoundIsNotWaitedFor() {
        Signals signals = new Signals(exits::add, err, Duration.ofMillis(200));
        signals.started(() -> {});

        signals.handle(Signals.Kind.TERM);

        assertEquals(List.of(143), exits);
        assertTrue(err().contains("did not finish within"), err());
    }
}

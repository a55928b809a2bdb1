package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DatabaseException;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.TransactionMode;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;

/**
 * The lock wait a call reports and the bounds on it, measured on a simulated clock that only the
 * sleeper moves: a refused lock, a busy commit, the lock timeout and the attempt limit, each to
 * the millisecond and the attempt.
 */
final class LockWaitAccountingTest {
    private static final Duration STEP = Duration.ofMillis(10);
    // Every delay is STEP: the jitter is drawn below a ceiling of STEP, and this source always draws its top.
    private static final Backoff FIXED = new Backoff(STEP, STEP, STEP);

    @TempDir
    Path dir;

    private List<MigrationScript> scripts;
    private final ManualClock clock = new ManualClock();
    private final Sleeper sleeper = clock::advance;

    /** A clock that stands still until the sleeper moves it. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A database whose lock is refused {@code refusals} times and whose commit is busy {@code busyCommits} times. */
    private final class Scripted implements Database {
        final List<HistoryRow> rows = new ArrayList<>();
        int refusals;
        int busyCommits;
        int lockCalls;
        int opens;
        // The answers of changeToken, in order (a Long, or an SQLException to throw); 0 after them.
        final java.util.Deque<Object> tokens = new java.util.ArrayDeque<>();
        final List<Duration> statementLockWaits = new ArrayList<>();
        Instant firstRefusal;
        Instant locked;
        // Waits for file events instead of polling: the first wait ends with an event after
        // 1 ms, and every later one finds no event and lasts as long as it may.
        boolean eventWaits;
        final List<String> pauses = new ArrayList<>();

        Scripted(int refusals, int busyCommits) {
            this.refusals = refusals;
            this.busyCommits = busyCommits;
        }

        @Override
        public Session open() {
            opens++;
            return new QuietSession(rows) {
                @Override
                public long changeToken() throws SQLException {
                    Object answer = tokens.isEmpty() ? 0L : tokens.removeFirst();
                    if (answer instanceof SQLException busy) {
                        throw busy;
                    }
                    return (Long) answer;
                }

                @Override
                public void pauseForCommit(Duration watch, Duration max, Sleeper sleeper) throws InterruptedException {
                    if (!eventWaits) {
                        super.pauseForCommit(watch, max, sleeper);
                        return;
                    }
                    Duration waited = pauses.isEmpty() ? Duration.ofMillis(1) : max;
                    pauses.add("event wait of " + waited.toMillis() + " ms");
                    clock.advance(waited);
                }

                @Override
                public void lock(Duration statementLockWait) throws SQLException {
                    lockCalls++;
                    statementLockWaits.add(statementLockWait);
                    if (refusals > 0) {
                        refusals--;
                        if (firstRefusal == null) {
                            firstRefusal = clock.instant();
                        }
                        throw new SQLException("database is locked", null, 5);
                    }
                    locked = clock.instant();
                }

                @Override
                public void commit() throws SQLException {
                    if (busyCommits > 0) {
                        busyCommits--;
                        throw new SQLException("database is locked", null, 5);
                    }
                    super.commit();
                }
            };
        }

        @Override
        public boolean isBusy(SQLException error) {
            return error.getErrorCode() == 5;
        }

        @Override
        public boolean isDatabaseFault(SQLException error) {
            return false;
        }

        @Override
        public DatabaseException translate(SQLException error, String doing) {
            return new DatabaseException(DatabaseException.Reason.OTHER, doing + ": " + error.getMessage(), error);
        }

        @Override
        public String describe() {
            return "scripted.db";
        }
    }

    @BeforeEach
    void writeScripts() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
    }

    private MigrationProtocol protocol(Database database, Duration lockTimeout, int maxAttempts) {
        return protocol(database, lockTimeout, maxAttempts, FIXED);
    }

    private MigrationProtocol protocol(Database database, Duration lockTimeout, int maxAttempts, Backoff backoff) {
        return new MigrationProtocol(
                database,
                clock,
                sleeper,
                backoff,
                Turns.NONE,
                new MigrationProtocol.Settings(
                        "tester",
                        TransactionMode.PER_MIGRATION,
                        true,
                        false,
                        false,
                        lockTimeout,
                        maxAttempts,
                        null,
                        MigrationListener.NONE,
                        false,
                        Duration.ZERO));
    }

    private static java.util.random.RandomGenerator top() {
        return new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return -1;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
    }

    @Test
    void theReportedWaitRunsFromTheFirstRefusalToTheLockAndCountsEveryAttempt() {
        Scripted database = new Scripted(3, 0);

        MigrateResult result = protocol(database, Duration.ofSeconds(10), 100).migrate(scripts, top());

        assertEquals(1, result.applied().size());
        assertEquals(Duration.between(database.firstRefusal, database.locked), result.lockWait());
        assertEquals(Duration.ofNanos(3 * (STEP.toNanos())), result.lockWait());
        assertEquals(4, result.lockAttempts());
        assertEquals(4, database.lockCalls);
    }

    @Test
    void eachLockStatementMayWaitOnlyWhatIsLeftOfTheTimeout() {
        Scripted database = new Scripted(2, 0);

        protocol(database, Duration.ofSeconds(1), 100).migrate(scripts, top());

        assertEquals(
                List.of(Duration.ofSeconds(1), Duration.ofMillis(990), Duration.ofMillis(980)),
                database.statementLockWaits.subList(0, 3));
    }

    @Test
    void aChangeTokenBusyWithTheHoldersCommitIsLookedAtAgainAtTheNextWatch() {
        Scripted database = new Scripted(1, 0);
        // Read as the wait begins, busy while the holder writes its commit, then moved.
        database.tokens.addAll(List.of(7L, new SQLException("database is locked", null, 5), 8L));

        MigrateResult result = protocol(
                        database, Duration.ofSeconds(10), 100, new Backoff(STEP, STEP, Duration.ofMillis(1)))
                .migrate(scripts, top());

        assertEquals(1, result.applied().size());
        assertEquals(Duration.ofMillis(2), result.lockWait(), "two watches, not the backoff's whole delay");
        assertEquals(2, database.opens, "the deploy's connection and the read after it: no attempt in between");
        assertEquals(2, result.lockAttempts());
    }

    @Test
    void aBusyTokenIsPolledAgainEvenWhereTheSessionWaitsForFileEvents() {
        Scripted database = new Scripted(1, 0);
        database.eventWaits = true;
        // Woken by the first write of the holder's commit (busy), then the commit is done: its
        // lock is let go without another file event.
        database.tokens.addAll(List.of(7L, new SQLException("database is locked", null, 5), 8L));

        MigrateResult result = protocol(
                        database, Duration.ofSeconds(10), 100, new Backoff(STEP, STEP, Duration.ofMillis(1)))
                .migrate(scripts, top());

        assertEquals(List.of("event wait of 1 ms"), database.pauses, "after the busy token, a poll");
        assertEquals(Duration.ofMillis(2), result.lockWait(), "the event and one watch, not the rest of the delay");
        assertEquals(2, result.lockAttempts());
    }

    @Test
    void aCommitUnderTheWaiterStartsTheBackoffAgainFromItsShortestDelay() {
        Scripted database = new Scripted(4, 0);
        // Refused four times; the token moves during the third wait only.
        database.tokens.addAll(List.of(1L, 1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L));
        Backoff doubling = new Backoff(Duration.ofMillis(2), Duration.ofMillis(64), Duration.ofMillis(100));

        MigrateResult result =
                protocol(database, Duration.ofSeconds(10), 100, doubling).migrate(scripts, top());

        // Delays at the top of each step: 2, 4 and 8 ms, at the end of which the token has moved;
        // after it 2 ms again, not 16.
        assertEquals(5, result.lockAttempts());
        assertEquals(Duration.ofMillis(2 + 4 + 8 + 2), result.lockWait());
    }

    @Test
    void anUncontendedRunWaitsNothingInOneAttempt() {
        MigrateResult result =
                protocol(new Scripted(0, 0), Duration.ofSeconds(10), 1).migrate(scripts, top());

        assertEquals(Duration.ZERO, result.lockWait());
        assertEquals(1, result.lockAttempts());
    }

    @Test
    void aBusyCommitIsWaitedForAndCountedInTheWait() {
        Scripted database = new Scripted(0, 2);

        MigrateResult result = protocol(database, Duration.ofSeconds(10), 100).migrate(scripts, top());

        assertEquals(1, result.applied().size());
        assertEquals(Duration.ofMillis(20), result.lockWait());
        assertEquals(1, result.lockAttempts());
    }

    @Test
    void theLockTimeoutEndsTheWaitExactlyAtItsBound() {
        Scripted database = new Scripted(Integer.MAX_VALUE, 0);

        LockTimeoutException e = assertThrows(
                LockTimeoutException.class,
                () -> protocol(database, Duration.ofMillis(35), 100).migrate(scripts, top()));

        // Refused at 0, 10, 20 and 30 ms; the fourth wait is cut to the 5 ms left, and no try follows it.
        assertEquals(Duration.ofMillis(35), e.waited());
        assertEquals(4, e.attempts());
        assertEquals(4, database.lockCalls);
        assertEquals(LockTimeoutException.Wait.MIGRATION_LOCK, e.waitedFor());
    }

    @Test
    void aLongWaitIsNoticedAtDoublingIntervalsAtGrowingLevels() {
        Scripted database = new Scripted(Integer.MAX_VALUE, 0);
        List<String> notices;
        try (ProtocolLog log = ProtocolLog.capture()) {
            assertThrows(
                    LockTimeoutException.class,
                    () -> protocol(database, Duration.ofSeconds(30), 10_000).migrate(scripts, top()));
            notices = log.records().stream()
                    .filter(record -> record.getMessage().startsWith("Waiting for the migration lock"))
                    .map(record -> record.getLevel() + " "
                            + record.getMessage()
                                    .replaceAll(".*\\]: \\[(\\d+) ms\\] over \\[(\\d+)\\].*", "$1 ms $2 tries"))
                    .toList();
        }

        // A try every 10 ms, refused: noticed at 100 ms of waiting and at each doubling, at DEBUG
        // for the first three, INFO for the next four, WARNING after; the 30 s bound ends it.
        assertEquals(
                List.of(
                        "FINE 100 ms 11 tries",
                        "FINE 200 ms 21 tries",
                        "FINE 400 ms 41 tries",
                        "INFO 800 ms 81 tries",
                        "INFO 1600 ms 161 tries",
                        "INFO 3200 ms 321 tries",
                        "INFO 6400 ms 641 tries",
                        "WARNING 12800 ms 1281 tries",
                        "WARNING 25600 ms 2561 tries"),
                notices);
    }

    @Test
    void theAttemptLimitEndsTheWaitAtItsLastAttempt() {
        Scripted database = new Scripted(Integer.MAX_VALUE, 0);

        LockTimeoutException e = assertThrows(
                LockTimeoutException.class,
                () -> protocol(database, Duration.ofSeconds(10), 3).migrate(scripts, top()));

        assertEquals(3, e.attempts());
        assertEquals(3, database.lockCalls);
        assertEquals(Duration.ofMillis(20), e.waited());
    }

    @Test
    void theLastAllowedAttemptMayStillTakeTheLock() {
        Scripted database = new Scripted(2, 0);

        MigrateResult result = protocol(database, Duration.ofSeconds(10), 3).migrate(scripts, top());

        assertEquals(3, result.lockAttempts());
        assertEquals(Duration.ofMillis(20), result.lockWait());
    }

    @Test
    void aBusyCommitAtTheBoundIsALockTimeoutOfTheCommit() {
        Scripted database = new Scripted(0, Integer.MAX_VALUE);

        LockTimeoutException e = assertThrows(
                LockTimeoutException.class,
                () -> protocol(database, Duration.ofMillis(25), 100).migrate(scripts, top()));

        assertEquals(LockTimeoutException.Wait.COMMIT, e.waitedFor());
        assertEquals(Duration.ofMillis(25), e.waited());
    }
}

package org.lockstep.internal.protocol;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.DatabaseInfo;
import org.lockstep.LockHolder;
import org.lockstep.LockTimeoutException;
import org.lockstep.LockstepException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.PendingMigration;
import org.lockstep.TransactionMode;
import org.lockstep.ValidationFailedException;
import org.lockstep.ValidationProblem;
import org.lockstep.internal.history.FailureRecord;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.sql.SqlStatement;

/*
 * The migration lock protocol, for every database.
 *
 * Many workers (threads or processes, one connection each, on one host or many) call
 * migrate() on one database at the same moment. Each pending migration must be applied
 * exactly once, in version order; every worker must return success once the schema is
 * current; a failure or a crash at any point must leave the database as it was before the
 * failing transaction.
 *
 * The protocol needs three things of a database, and each dialect's package comment says how
 * its database gives them (internal.sqlite: BEGIN IMMEDIATE; internal.postgres: a
 * transaction-scoped advisory lock):
 *   - a lock that at most one connection holds, that is taken inside the transaction that
 *     applies the migrations, can be tried without waiting, and is released when that
 *     transaction ends or its holder dies (so there is no lock table and nothing stale to
 *     clean up after a kill -9);
 *   - a read of the history, under that lock, that sees every commit of earlier holders;
 *   - transactional DDL: the scripts' effects and their history rows commit or roll back
 *     together.
 *
 * Each attempt, on a new connection (Session):
 *
 *   1. Take this thread's turn among the threads of the process (Turns), before opening a
 *      connection. The turn is per history table, and held until the thread has committed
 *      or found nothing to do, not until its call has closed its connection (or until the
 *      call ends, on an error). The other threads of the process wait for it in memory, and
 *      the holder, when it found nothing pending or committed the last of its work and
 *      threads are waiting, leaves them the history it read (after its commit, on the same
 *      connection), marked in the turn's order of events: a waiter plans against a read that
 *      began after its wait did exactly as against its own read in step 2, and returns from it
 *      without a connection if nothing is pending (the migrations that commit named count as
 *      applied by others). Otherwise it takes the turn itself. This changes nothing the
 *      database sees but the number of readers and pollers: one per process, not one per
 *      thread, so a process's twenty threads are one contender and one history read, and a
 *      thread released by the turn wakes at once rather than on its next poll. Where two
 *      calls cannot be told to read the same history table (a data source, connection
 *      initializers, a database in memory: Database.historyIdentity), each reads its own.
 *   2. Read the committed history without any lock and plan against it. If nothing is
 *      pending (and validation passes) return: an up-to-date database costs one read
 *      transaction and never takes the lock, so a restart of 20 workers neither serialises
 *      them nor blocks the application's writers. A worker that lost the race also leaves
 *      here, as soon as the winner's commit is visible, without queueing for the lock it no
 *      longer needs. Then take the lock (Session.lock), failing fast if another connection
 *      holds it.
 *   3. Under the lock, read the history again and plan again. The read in step 2 is only a
 *      hint: another worker may have committed between it and the lock. Deciding from the
 *      stale read is the check-then-act race that applies a migration twice.
 *   4. Create the history table if absent, run the pending scripts, insert their history
 *      rows, check the integrity rules not enforced while they ran (SQLite's foreign keys),
 *      commit: effects and history rows land in one transaction, so no reader can ever see
 *      an effect without its row or a row without its effect. In PER_MIGRATION mode each
 *      transaction holds one migration and the loop goes back to step 1.
 *
 * Why the turn comes first, and what the waiters may take from it (issue 14): with the turn
 * taken after the first read, twenty threads released together each opened a connection and
 * read the history before one of them took the turn, and each read it again after, on a
 * 2-core machine 2.0 times the time of one thread's deploy (bench section 1). The holder's read
 * is as good as the waiter's own: it is a committed state of the same history table, begun after
 * the waiter began to wait, and the read under the lock (step 3) still decides what runs.
 * A waiter that has seen no history after OWN_READ_AFTER (50 ms) reads for itself: the holder
 * publishes only when it is done, and a call with nothing to do (an older release's worker, a
 * call with a target) would otherwise wait out another thread's whole deploy, or that thread's
 * wait for another process's lock, and could fail at its lock timeout (found by adversarial use,
 * ThreadsWaitOnlyForWhatTheyNeedTest). A waiter loads its scripts only when it needs them
 * (Run.scripts: to plan against the holder's read, or before its own first connection), not
 * before it takes its place in the queue: loaded first, the nineteen waiters' reads of the
 * folder took the holder's cores while it deployed (0.6 ms of CPU each), and those that began
 * after the first read had begun each read for themselves; loaded after the holder's
 * publication, they share one read and its checksums (ScriptLoader), and a herd of 20 went
 * from 1.5 to 1.2 times one thread's time (a harness outside the repository, 100 herds, two
 * alternating runs). The turn is kept only where a read can be shared: where the history
 * table has no identity, the turn is this protocol's own, since two private in-memory
 * databases, or two data sources of one name, describe themselves alike.
 *
 * On a busy error at any step the connection is closed (rolling back whatever it did) and
 * the next attempt opens a new one after a backoff wait, except a refused lock: then the
 * worker keeps its connection (it holds nothing) and watches the database's change token
 * (SQLite's PRAGMA data_version, which moves when another connection commits) until the
 * token moves or the backoff delay passes, and tries again on the same connection: after
 * reading the history again if the token moved, and without reading it if it did not (the
 * token is the one of its last read's snapshot, so nothing was committed since; the read cost
 * more than the try, and a waiter tries hundreds of times a second; the read under the lock
 * decides in any case).
 * A holder's commit wakes its waiters within one watch (0.25 ms) instead of on their next
 * poll, and a watch is a query on an open connection, not a new connection. Where the host
 * can say when the database's files change (SQLite on Linux: inotify), the session waits for
 * that instead of polling the token (Session.pauseForCommit): a waiting process then costs
 * nothing until the holder writes, where twenty polling ones were more than a 2-core machine
 * has. A token that moved, or that is busy because the holder is writing its commit, starts the
 * backoff again from its shortest delay (Run.busySinceChange): the lock is about to be free, and
 * a read that meets the end of a commit should not wait out the longest delay. A busy token is
 * looked at again after one watch, by polling, even where the session waits for file events:
 * the holder lets go of its lock after the last write of its commit, which no file event tells
 * (a waiter that woke on that write and waited for another could sleep out the rest of its
 * delay: LockWaitAccountingTest). An event is only a hint: the token is read after every wake, and no wait
 * outlasts the backoff delay. A database without such a token (PostgreSQL) waits out the delay as
 * before. A release without a commit (a rollback, a crash) moves no token, and is found by
 * the next try. The one exception is the commit: a database may need readers to let go
 * before a commit (SQLite in rollback-journal mode), and a commit that fails busy there leaves
 * the transaction open and may simply be retried, so the holder polls its commit on the same
 * schedule rather than throwing its work away. A
 * script's own statement never counts as busy: the lock is held, so its error is a failed
 * migration. Every wait (for the lock, and for readers at commit) adds to one figure, the
 * call's lock wait, which the lock timeout bounds and the result reports; the attempt limit
 * bounds the tries. Both are measured with the injected clock, never with a database-side
 * timeout that the protocol cannot see or interrupt.
 *
 * Termination. Every pass of the loop either waits (bounded, above) or commits at least one
 * pending migration, and a committed migration is never pending again: the next read must
 * show it. A database that does not keep what was committed (a private in-memory database
 * reached through a new connection per attempt is a new, empty database each time) would
 * make the loop apply the same migrations forever, so a read that misses a migration this
 * call committed is an error, not a reason to apply it again. Where a commit cannot be lost
 * between connections (a database with a history identity: a file or a server reached by URL),
 * the read after the last commit is made on the connection that committed, which saves a
 * connection and SQLite's parsing of the schema on it; elsewhere it is the next attempt's, on a
 * new connection, which is what finds a database that lost the commit.
 *
 * Faults and stops. A fault of the environment while this worker holds the lock (a full disk,
 * an I/O error, a lost connection, a database file deleted or replaced) and a stop (a cancel
 * from another thread, Migrator.cancel(), or an interrupt while applying) end the call, but
 * only after its session is closed: closing rolls back the open transaction (SQLite's ROLLBACK or
 * close; a failed write may leave a hot journal, which the next opener rolls back), and then the
 * history is read back on a new connection, which is that next opener. So the error says what
 * every later reader sees, in the database's own terms: "the deploy was rolled back: nothing of
 * it was committed; the database is at version [N]". The read-back retries a busy read for at
 * most a second; if it fails (the server is down) the error says what the worker last read and
 * why it could not read again, and for a fault during COMMIT, that the outcome is unknown. A
 * cancelled statement is interrupted through the session (Statement.cancel: sqlite3_interrupt, a
 * PostgreSQL cancel request); a waiting call looks at its cancellation after every short wait.
 * A fault is told apart while its connection and files are as it left them (a file-size limit
 * reached is an I/O error to SQLite, a full disk to the operator). A connection lost while
 * waiting, after one was made in this call, is waited out like a busy lock, within the lock
 * timeout (a server restarting); a server never reached is an error at once (a wrong address).
 *
 * Failed deploys fail the herd once. When a script fails, the deploy is rolled back to a
 * savepoint set as it began, under the same lock, and the failed attempt (version, checksum, the
 * checksums of the scripts before it in the transaction, the error, who, when) is written to
 * <history>_failures and committed, which releases the lock. A worker that finds the same
 * deploy pending (the failing script and those before it unchanged) with a failure recorded
 * within the failure window fails at once with the recorded error: in step 2 without waiting
 * for the lock, and under the lock in step 3 in case the record landed between the two. Without
 * it every waiter would in turn take the lock, run the deploy up to the failing script and roll
 * it back, holding the lock the application's writers wait for, and the last ones would time
 * out instead of reporting the real error. Why a savepoint and not a ROLLBACK followed by a new
 * lock: between the two, another waiter could take the lock and run the deploy again. A crash
 * before the record's commit leaves no record, so the next worker runs the deploy again, as it
 * would have anyway; a changed script, or an explicit retry, runs it again at once.
 *
 * Why short waits. A database's own lock wait sleeps on its schedule (SQLite's busy handler
 * in growing steps up to 100 ms, so a waiter wakes up to 100 ms after the lock is freed:
 * measured median 22 ms, p95 94 ms) or cannot be interrupted from Java (PostgreSQL's
 * pg_advisory_xact_lock). The protocol instead tries without waiting and polls on its own
 * schedule: full-jitter exponential backoff from 1 ms, capped at 8 ms. The jitter keeps a
 * herd from polling in step; the cap bounds wake-up latency to about 8 ms; and since a poll
 * is one connection open and one failed lock call, 20 waiters cost a few thousand cheap calls
 * a second while a migration runs. A waiter that finds the work done in step 2 returns
 * without touching the lock, so the herd drains in parallel.
 *
 * Logging climbs with the time waited, not with the number of polls (which are cheap and
 * many): notices at 100 ms, 200 ms, 400 ms... of waiting, the schedule the design this
 * follows used for its attempts, at DEBUG for notices 1-3, INFO for 4-7, WARNING from 8
 * (about 13 s of waiting).
 *
 * Every interaction with the database goes through Session, and every clock read and
 * sleep through Clock and Sleeper, so a deterministic simulator can run this very code
 * with interleavings and crashes of its choosing.
 */

/**
 * Runs the migration lock protocol described in the comment at the top of this file.
 * Thread-safe if its collaborators are; one instance may serve concurrent calls.
 */
public final class MigrationProtocol {
    /**
     * The bound on a read that only reports ({@link #readHistory}): a readiness probe built on
     * {@code status()} must not hang for the lock timeout behind an exclusive lock.
     */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = System.getLogger(MigrationProtocol.class.getName());
    private static final Duration FIRST_NOTICE = Duration.ofMillis(100);
    /** The longest a read-back of the history after a fault or a stop retries a busy read. */
    private static final Duration READ_BACK = Duration.ofSeconds(1);
    /** The mean wait before trying again to reach a server whose connection was lost. */
    private static final Duration RECONNECT_DELAY = Duration.ofMillis(100);
    /** The longest wait for this thread's turn between looks at its cancellation. */
    private static final Duration TURN_SLICE = Duration.ofMillis(10);
    // How long a call that has seen no history waits for another thread's turn before it reads
    // for itself: longer than a typical deploy's first read and lock, so that a herd still reads
    // once, and short enough that an up-to-date call is not held up by another's long work.
    private static final Duration OWN_READ_AFTER = Duration.ofMillis(50);
    // Versioned migrations by version, then repeatable ones by description.
    private static final Comparator<AppliedMigration> APPLIED_ORDER = Comparator.comparing(
                    (AppliedMigration applied) -> applied.version().orElse(null),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(AppliedMigration::description);

    private final Database database;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final Turns turns;
    // The turn is per history table where the database can tell one from another, and then a
    // read made by one call may stand for another's; otherwise per protocol (per Migrator), and
    // never shared: two private in-memory databases, or two data sources of one name, describe
    // themselves alike, and one would wait for the other's unrelated work.
    private static final AtomicLong UNIDENTIFIED = new AtomicLong();
    private final String turnKey;
    private final boolean shared;
    private volatile Duration ownReadAfter = OWN_READ_AFTER;
    private final Settings settings;

    /**
     * What the protocol needs from the configuration; {@link #of} is the one place that maps
     * a {@link MigrationConfig} to it.
     *
     * @param owner who this worker is in the history table
     * @param mode how pending migrations are grouped into transactions
     * @param validate whether validation problems stop the run
     * @param outOfOrder whether a pending version below the highest applied may be applied
     * @param failOnFuture whether an applied version above every script's is a validation problem
     * @param lockTimeout the total bound on waiting
     * @param maxLockAttempts the bound on lock attempts
     * @param target the highest version to apply, or null for all
     * @param listener hears about progress
     * @param retryFailed whether a script whose failure is recorded runs again anyway
     * @param failureWindow how long a recorded failure stops others running the same script; zero:
     *     failures are neither recorded nor looked for
     */
    public record Settings(
            String owner,
            TransactionMode mode,
            boolean validate,
            boolean outOfOrder,
            boolean failOnFuture,
            Duration lockTimeout,
            int maxLockAttempts,
            MigrationVersion target,
            MigrationListener listener,
            boolean retryFailed,
            Duration failureWindow) {

        /**
         * Returns the settings of a configuration, for a worker called {@code owner}.
         *
         * @param config the configuration
         * @param owner who this worker is: the configured owner, or the default the Migrator chose
         * @return the settings
         */
        public static Settings of(MigrationConfig config, String owner) {
            return new Settings(
                    owner,
                    config.transactionMode(),
                    config.validateOnMigrate(),
                    config.outOfOrder(),
                    config.failOnFuture(),
                    config.lockTimeout(),
                    config.maxLockAttempts(),
                    config.target().orElse(null),
                    config.listener(),
                    config.retryFailed(),
                    config.failureWindow());
        }
    }

    /** What a run does once it holds the lock. */
    private enum Action {
        MIGRATE,
        DRY_RUN,
        BASELINE
    }

    /**
     * Creates the protocol.
     *
     * @param database where sessions come from
     * @param clock measures waits and stamps history rows
     * @param sleeper waits between attempts
     * @param backoff the wait schedule
     * @param turns how the threads of this process take turns at the lock
     * @param settings the settings
     */
    public MigrationProtocol(
            Database database, Clock clock, Sleeper sleeper, Backoff backoff, Turns turns, Settings settings) {
        this.database = database;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.turns = turns;
        this.settings = settings;
        Optional<String> identity = database.historyIdentity();
        this.turnKey = identity.orElseGet(() -> "#" + UNIDENTIFIED.incrementAndGet() + " " + database.describe());
        this.shared = identity.isPresent();
    }

    /**
     * Sets how long a call that has seen no history waits for another thread's turn before it
     * reads for itself; for tests that pin what the waiters of a turn do without that read.
     *
     * @param after the wait
     */
    void ownReadAfter(Duration after) {
        this.ownReadAfter = after;
    }

    /**
     * Applies whatever of {@code scripts} is pending, as described at the top of this file.
     *
     * @param scripts every script, in version order
     * @param random the jitter source for the backoff
     * @return what this call did
     * @throws ValidationFailedException if validation is on and fails; nothing is applied
     * @throws MigrationFailedException if a statement fails; its transaction is rolled back
     * @throws LockTimeoutException if the lock was not taken, or a commit not made, within the bounds
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     * @throws DatabaseException on any other database error
     */
    public MigrateResult migrate(List<MigrationScript> scripts, RandomGenerator random) {
        return migrate(scripts, random, new Cancellation());
    }

    /**
     * Applies whatever of {@code scripts} is pending, as {@link #migrate(List, RandomGenerator)},
     * and stops when {@code cancellation} is cancelled.
     *
     * @param scripts every script, in version order
     * @param random the jitter source for the backoff
     * @param cancellation asks the call to stop, from another thread
     * @return what this call did
     * @throws MigrationInterruptedException if the call was cancelled, or its thread interrupted;
     *     what its open transaction did was rolled back
     */
    public MigrateResult migrate(List<MigrationScript> scripts, RandomGenerator random, Cancellation cancellation) {
        return migrate(() -> scripts, random, cancellation);
    }

    /**
     * Applies whatever of the scripts is pending, as {@link #migrate(List, RandomGenerator,
     * Cancellation)}, loading them only when the call needs them: before its first connection,
     * or when it plans against what another thread of the process read for it. A thread that
     * waits for another's turn loads nothing while it waits, so a herd's waiters neither take
     * the holder's cores while it deploys nor each read the folder for itself (issue 14).
     *
     * @param scripts loads every script, in version order; called at most once, and not at all
     *     by a call that ends before it needs them (a cancel, a lock timeout)
     * @param random the jitter source for the backoff
     * @param cancellation asks the call to stop, from another thread
     * @return what this call did
     * @throws MigrationInterruptedException as {@link #migrate(List, RandomGenerator, Cancellation)}
     */
    public MigrateResult migrate(
            Supplier<List<MigrationScript>> scripts, RandomGenerator random, Cancellation cancellation) {
        try (Run run = new Run(random, Action.MIGRATE, scripts, null, cancellation)) {
            while (true) {
                Optional<MigrateResult> done = run.attemptUnlessStopped();
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }
    }

    /**
     * Works out what {@link #migrate} would apply, taking the lock to read the history as
     * the migrating worker would, and changes nothing. A database that does not exist yet is
     * not created: every script in scope is pending.
     *
     * @param scripts every script, in version order
     * @param random the jitter source for the backoff
     * @return the migrations that would be applied, in order
     */
    public List<PendingMigration> dryRun(List<MigrationScript> scripts, RandomGenerator random) {
        return dryRun(scripts, random, new Cancellation());
    }

    /**
     * Works out what {@link #migrate} would apply, as {@link #dryRun(List, RandomGenerator)},
     * and stops when {@code cancellation} is cancelled.
     *
     * @param scripts every script, in version order
     * @param random the jitter source for the backoff
     * @param cancellation asks the call to stop, from another thread
     * @return the migrations that would be applied, in order
     */
    public List<PendingMigration> dryRun(
            List<MigrationScript> scripts, RandomGenerator random, Cancellation cancellation) {
        try (Run run = new Run(random, Action.DRY_RUN, () -> scripts, null, cancellation)) {
            if (database.isAbsent()) {
                return run.planOf(run.inScope(run.plan(HistorySnapshot.ABSENT)));
            }
            while (true) {
                if (run.attemptUnlessStopped().isPresent()) {
                    return run.planned;
                }
            }
        }
    }

    /**
     * Records every script up to {@code version} as applied without running it, on a
     * database that has tables but no history.
     *
     * @param scripts every script, in version order
     * @param version the baseline version
     * @param random the jitter source for the backoff
     * @return the recorded migrations, as {@link MigrateResult#applied()}
     * @throws DatabaseException with {@link DatabaseException.Reason#BASELINE_REFUSED} if the
     *     database has a history already, has no tables, or no script is at or below the version
     */
    public MigrateResult baseline(List<MigrationScript> scripts, MigrationVersion version, RandomGenerator random) {
        return baseline(scripts, version, random, new Cancellation());
    }

    /**
     * Records every script up to {@code version} as applied, as
     * {@link #baseline(List, MigrationVersion, RandomGenerator)}, and stops when
     * {@code cancellation} is cancelled.
     *
     * @param scripts every script, in version order
     * @param version the baseline version
     * @param random the jitter source for the backoff
     * @param cancellation asks the call to stop, from another thread
     * @return the recorded migrations, as {@link MigrateResult#applied()}
     */
    public MigrateResult baseline(
            List<MigrationScript> scripts,
            MigrationVersion version,
            RandomGenerator random,
            Cancellation cancellation) {
        try (Run run = new Run(random, Action.BASELINE, () -> scripts, version, cancellation)) {
            if (database.isAbsent()) {
                run.baselineTargets(HistorySnapshot.ABSENT); // refuses: nothing to adopt
            }
            while (true) {
                Optional<MigrateResult> done = run.attemptUnlessStopped();
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }
    }

    /**
     * Does {@code work} holding the migration lock, in the lock's transaction: takes the lock
     * as {@link #migrate} does (bounded by the lock timeout and the attempt limit, polling on
     * busy), hands the session to the work, and commits or rolls back as it says. There is no
     * read before the lock: the work reads what it needs under it.
     *
     * @param work the work
     * @param doing what the work is, for messages (e.g. {@code adopting})
     * @param random the jitter source for the backoff
     * @param <T> what the work returns
     * @return what the work returned
     * @throws LockTimeoutException if the lock was not taken, or a commit not made, within the bounds
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     * @throws DatabaseException on a database error the work did not anticipate
     */
    public <T> T underLock(LockedWork<T> work, String doing, RandomGenerator random) {
        Run run = new Run(random, Action.DRY_RUN, List::of, null, new Cancellation());
        while (true) {
            Optional<T> done = run.attemptLocked(work, doing);
            if (done.isPresent()) {
                return done.get();
            }
        }
    }

    /** Returns true if the database certainly does not exist yet (a SQLite file that is not there). */
    public boolean isAbsent() {
        return database.isAbsent();
    }

    /** Returns what to call the database in messages. */
    public String describe() {
        return database.describe();
    }

    /**
     * Reads the committed history once, without the write lock, retrying on busy errors for
     * at most {@link #READ_TIMEOUT} (or the lock timeout, if shorter). A database that does
     * not exist yet is not created: its history is empty.
     *
     * @param random the jitter source for the backoff
     * @return the history
     * @throws LockTimeoutException with {@link LockTimeoutException.Wait#HISTORY_READ} if the
     *     read stayed blocked for the whole bound
     */
    public HistorySnapshot readHistory(RandomGenerator random) {
        if (database.isAbsent()) {
            return HistorySnapshot.ABSENT;
        }
        Run run = new Run(random, Action.DRY_RUN, List::of, null, new Cancellation());
        Duration bound = settings.lockTimeout().compareTo(READ_TIMEOUT) < 0 ? settings.lockTimeout() : READ_TIMEOUT;
        while (true) {
            try (Session session = database.open()) {
                run.reached = true;
                return session.readHistory();
            } catch (SQLException e) {
                run.awaitRetry(e, "reading the history table", LockTimeoutException.Wait.HISTORY_READ, bound);
            }
        }
    }

    /**
     * Inspects the database for an operator: what it is, its history, and whether the lock is
     * held, tried without waiting and released at once. Reads as {@link #readHistory} does,
     * and creates nothing.
     *
     * @param historyTable the history table's name, for the report
     * @param random the jitter source for the backoff of a blocked read
     * @return what was found
     */
    public DatabaseInfo inspect(String historyTable, RandomGenerator random) {
        if (database.isAbsent()) {
            return new DatabaseInfo(
                    database.describe(),
                    false,
                    "",
                    Map.of(),
                    historyTable,
                    false,
                    0,
                    Optional.empty(),
                    Optional.empty());
        }
        Run run = new Run(random, Action.DRY_RUN, List::of, null, new Cancellation());
        Duration bound = settings.lockTimeout().compareTo(READ_TIMEOUT) < 0 ? settings.lockTimeout() : READ_TIMEOUT;
        while (true) {
            try (Session session = database.open()) {
                run.reached = true;
                HistorySnapshot history = session.readHistory();
                Map<String, String> about = new LinkedHashMap<>(session.about());
                String product = about.remove("product");
                DatabaseInfo.Lock lock;
                try {
                    session.lock(Duration.ZERO); // rolled back when the session closes
                    lock = DatabaseInfo.Lock.FREE;
                } catch (SQLException e) {
                    if (!database.isBusy(e)) {
                        throw e;
                    }
                    lock = DatabaseInfo.Lock.HELD;
                }
                Optional<MigrationVersion> current =
                        history.rows().stream().map(HistoryRow::version).max(Comparator.naturalOrder());
                return new DatabaseInfo(
                        database.describe(),
                        true,
                        product == null ? "" : product,
                        about,
                        historyTable,
                        history.tableExists(),
                        history.rows().size(),
                        current,
                        Optional.of(lock),
                        lock == DatabaseInfo.Lock.HELD ? database.lockHolder() : Optional.empty());
            } catch (SQLException e) {
                run.awaitRetry(e, "inspecting the database", LockTimeoutException.Wait.HISTORY_READ, bound);
            }
        }
    }

    /** The state of one call across its attempts; closing it gives up its turn at the lock. */
    private final class Run implements AutoCloseable {
        private final RandomGenerator random;
        private final Action action;
        // Every script, loaded on first use (scripts()): a call that waits for another thread's
        // turn loads them once it has what that thread read, not while it waits.
        private final Supplier<List<MigrationScript>> loader;
        private List<MigrationScript> scripts;
        private final MigrationVersion baselineVersion;
        private final List<AppliedMigration> appliedHere = new ArrayList<>();
        // What this call applied: a repeatable migration it applied is not applied again by the
        // same call, whatever another release's worker applies after it.
        private final Set<MigrationKey> appliedKeys = new HashSet<>();
        // A call whose first read is blocked (a rollback-journal writer holds the database)
        // cannot know what was pending when it started; what others applied after it started
        // (by the history's own timestamps, from this clock) still counts as raced.
        private final Instant startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        private List<PendingMigration> planned = List.of();
        private Set<MigrationKey> pendingAtStart;
        // What other threads of the process committed while this one waited for their turn.
        private final Set<MigrationKey> committedMeanwhile = new HashSet<>();
        // Whether the last take of the turn had to wait for another thread.
        private boolean turnWaited;
        // The first read in this thread's turn: what a later read in the turn finds applied besides
        // was committed while the turn's waiters waited. Kept as read, and compared only when
        // something is published, so that the up-to-date path builds nothing from it.
        private HistorySnapshot firstReadInTurn;
        private int attempts;
        private int failures;
        // The busy answers since the database last changed under a waiter: the backoff's step. A
        // commit by the holder starts the schedule again from its shortest delay, since the
        // database is about to be free: a read that meets the end of that commit (SQLite's
        // rollback journal locks the file while it is deleted) tries again within a millisecond,
        // not after the longest delay.
        private int busySinceChange;
        // Every wait of this call adds to one figure: the lock timeout bounds it, the result reports
        // it. A wait runs from the first refused try (or the start of a statement that waited for
        // a table lock) to when the worker got what it waited for: opening a connection is not
        // waiting for the lock.
        private long waitedMillis;
        private long waitingSinceMillis = -1;
        private Duration nextNotice = FIRST_NOTICE;
        private int notices;
        // This thread's turn at the lock among the threads of the process, held from the
        // first attempt that finds work pending to the end of the call.
        private Turns.Turn turn;
        private final Cancellation cancellation;
        // Whether a connection was opened in this call: a connection lost after that is a wait
        // (a server restarting), one never made is an error.
        boolean reached;
        private boolean lostNoticed;
        // Whether this attempt is a read of this call's own while another thread has the turn
        // (after OWN_READ_AFTER), and whether one failed, after which the call only waits.
        private boolean ownReading;
        private boolean ownReadGivenUp;
        // The last history read, for the state a stopped call reports.
        private HistorySnapshot lastSeen;
        // What the current attempt does under the lock, for the report of a fault or a stop.
        private boolean holding;
        private boolean committing;
        private List<MigrationScript> batch = List.of();
        // The last busy answer to a lock try, the cause of a lock error at the bound.
        private SQLException lastBusy;
        private MigrationScript current;
        private SqlStatement currentStatement;

        Run(
                RandomGenerator random,
                Action action,
                Supplier<List<MigrationScript>> scripts,
                MigrationVersion baselineVersion,
                Cancellation cancellation) {
            this.random = random;
            this.action = action;
            this.loader = scripts;
            this.baselineVersion = baselineVersion;
            this.cancellation = cancellation;
        }

        /** One attempt, with a stop turned into the API's exception once the session is closed. */
        Optional<MigrateResult> attemptUnlessStopped() {
            try {
                return attempt();
            } catch (Stop stop) {
                throw stopped(stop);
            }
        }

        /** One attempt on a new connection; empty means "try again". */
        Optional<MigrateResult> attempt() {
            holding = false;
            checkCancelled();
            committing = false;
            batch = List.of();
            current = null;
            currentStatement = null;
            if (turn == null && shared) {
                Optional<MigrateResult> done = takeTurn();
                if (done.isPresent()) {
                    return done;
                }
            }
            ownReading = turn == null && shared;
            scripts(); // a script's name, version and text are checked before anything is opened
            try (Session session = database.open()) {
                reached = true;
                cancellation.attach(session);
                // Reads, then tries the lock; while it is busy, waits on this session and reads
                // again, unless the database says nothing was committed meanwhile.
                boolean read = true;
                long readMark = 0;
                while (true) {
                    if (read) {
                        readMark = turn == null ? 0 : turn.mark();
                        HistorySnapshot history = session.readHistory();
                        if (turn != null && firstReadInTurn == null) {
                            firstReadInTurn = history;
                        }
                        lastSeen = history;
                        requireCommittedVisible(history);
                        Plan plan = plan(history);
                        if (pendingAtStart == null) {
                            pendingAtStart = keysOf(inScope(plan));
                        }
                        if (action == Action.BASELINE) {
                            baselineTargets(history);
                        } else if (inScope(plan).isEmpty()) {
                            stopWaiting();
                            publishRead(readMark, history); // the threads waiting decide from it, at once
                            giveUpTurn();
                            return Optional.of(result(plan));
                        } else if (action == Action.MIGRATE) {
                            refuseRecordedFailure(session, inScope(plan));
                        }
                    }
                    if (turn == null) {
                        // Where reads cannot be shared, the turn comes after a read of its own,
                        // which tells what was pending when the call began; if another thread had
                        // it, what was read is stale. (Where they can, a call that waited long for
                        // the turn without a read made its own, and found work left.)
                        ownReading = false;
                        Optional<MigrateResult> done = takeTurn();
                        if (done.isPresent()) {
                            return done;
                        }
                        read = turnWaited;
                        if (read) {
                            continue;
                        }
                    }
                    checkCancelled();
                    Duration waited = waited();
                    if (lastBusy != null && waited.compareTo(settings.lockTimeout()) >= 0) {
                        // Woken by a commit at or after the bound, and the work is still
                        // pending: the read above was the last look, no lock try follows it.
                        throw lockTimeout(LockTimeoutException.Wait.MIGRATION_LOCK, waited, attempts, lastBusy);
                    }
                    attempts++;
                    try {
                        session.lock(settings.lockTimeout().minus(waited));
                        break;
                    } catch (SQLException e) {
                        if (!database.isBusy(e)) {
                            throw e;
                        }
                        lastBusy = e;
                        read = awaitChange(session, e);
                    }
                }
                holding = true;
                stopWaiting();
                long lockedMark = turn.mark();
                HistorySnapshot lockedHistory = session.readHistory();
                lastSeen = lockedHistory;
                requireCommittedVisible(lockedHistory);
                Plan locked = plan(lockedHistory);
                List<MigrationScript> pending = inScope(locked);
                if (action == Action.BASELINE) {
                    return Optional.of(recordBaseline(session, lockedHistory));
                }
                if (pending.isEmpty()) {
                    publishRead(lockedMark, lockedHistory); // another worker committed before the lock
                    giveUpTurn();
                    return Optional.of(result(locked));
                }
                if (action == Action.DRY_RUN) {
                    planned = planOf(pending);
                    return Optional.of(result(locked));
                }
                // Under the lock again: a failure recorded since the read above counts too.
                refuseRecordedFailure(session, pending);
                batch = batchOf(pending);
                checkCancelled();
                session.markDeploy();
                List<HistoryRow> rows;
                try {
                    rows = apply(session, lockedHistory, batch);
                } catch (MigrationFailedException failed) {
                    recordFailure(session, failed, batch);
                    throw failed;
                }
                checkCancelled();
                committing = true;
                long commitMark = turn.mark();
                commit(session);
                committing = false;
                holding = false;
                // Where a commit cannot be lost between connections, the work done is read back on
                // this one, for this call's result and the threads waiting for the turn, instead of
                // on a new connection in another attempt.
                Optional<HistorySnapshot> after =
                        shared && batch.size() == pending.size() ? readAfterCommit(session) : Optional.empty();
                if (shared && turn.awaited()) {
                    Set<MigrationKey> committed = committedInTurn(after.orElse(lockedHistory));
                    committed.addAll(keysOfRows(rows));
                    turn.publish(new Turns.Published(commitMark, after, committed));
                }
                giveUpTurn(); // committed: the threads waiting for it find the work done
                for (HistoryRow row : rows) {
                    AppliedMigration applied = row.toApplied();
                    LOG.log(
                            Level.INFO,
                            () -> (row.repeatable() ? "Applied repeatable migration [" : "Applied migration [")
                                    + applied.name() + "] [" + row.description() + "] from [" + row.script() + "] in ["
                                    + row.executionMillis() + " ms]");
                    appliedHere.add(applied);
                    appliedKeys.add(MigrationKey.of(row));
                }
                for (AppliedMigration row : appliedHere.subList(appliedHere.size() - rows.size(), appliedHere.size())) {
                    tell(() -> settings.listener().migrationCompleted(row));
                }
                if (after.isPresent()) {
                    lastSeen = after.get();
                    requireCommittedVisible(after.get());
                    Plan plan = plan(after.get());
                    if (inScope(plan).isEmpty()) {
                        return Optional.of(result(plan));
                    }
                }
                return Optional.empty();
            } catch (StatementLockTimeoutException e) {
                awaitRetry(e, "migrating", LockTimeoutException.Wait.TABLE_LOCK, settings.lockTimeout());
                return Optional.empty();
            } catch (SQLException e) {
                if (ownReading) {
                    // A read of its own that failed (a server restarting, say) is not this call's
                    // to wait out or report: it waits for the turn again, as if it had not tried.
                    ownReading = false;
                    ownReadGivenUp = true;
                    return Optional.empty();
                }
                if (holding && !database.isBusy(e)) {
                    // The session is closed, so the transaction is rolled back (or, for a lost
                    // connection or a failed write, left for the database to roll back).
                    throw afterFault(database.translate(e, doing()));
                }
                awaitRetry(e, "migrating", LockTimeoutException.Wait.MIGRATION_LOCK, settings.lockTimeout());
                return Optional.empty();
            } catch (DatabaseException e) {
                if (holding) {
                    throw afterFault(e);
                }
                throw e;
            } finally {
                cancellation.attach(null);
            }
        }

        /** The migrations one transaction applies: every pending one, or the first. */
        private List<MigrationScript> batchOf(List<MigrationScript> pending) {
            return settings.mode() == TransactionMode.ALL_PENDING ? pending : pending.subList(0, 1);
        }

        /** What the attempt was doing when it failed, for a message. */
        private String doing() {
            if (current != null) {
                return "applying migration [" + current.version() + "] from [" + current.fileName() + "]"
                        + (currentStatement != null ? " at line [" + currentStatement.line() + "]" : "");
            }
            return committing ? "committing the deploy" : "migrating";
        }

        /**
         * Fails at once if the same deploy failed recently: a pending script, unchanged, with the
         * same scripts before it in its transaction, whose failed attempt another worker recorded
         * within the failure window. Running it again would hold the lock as long as the first
         * worker did, only to fail the same way.
         */
        private void refuseRecordedFailure(Session session, List<MigrationScript> pending) throws SQLException {
            if (settings.retryFailed() || settings.failureWindow().isZero() || pending.isEmpty()) {
                return;
            }
            List<FailureRecord> records = session.readFailures();
            if (records.isEmpty()) {
                return;
            }
            Instant since = clock.instant().minus(settings.failureWindow());
            List<String> earlier = new ArrayList<>();
            for (MigrationScript script : batchOf(pending)) {
                String earlierChecksum = FailureRecord.earlierChecksum(earlier);
                Optional<FailureRecord> first = records.stream()
                        .filter(r -> r.version().equals(script.version())
                                && r.checksum().equals(script.checksum())
                                && r.earlierChecksum().equals(earlierChecksum)
                                && !r.failedAt().isBefore(since))
                        .min(Comparator.comparing(FailureRecord::failedAt));
                if (first.isPresent()) {
                    FailureRecord record = first.get();
                    LOG.log(
                            Level.INFO,
                            () -> "Not running migration [" + record.version() + "] on [" + database.describe()
                                    + "]: [" + record.failedBy() + "] ran the same deploy and failed at ["
                                    + record.failedAt() + "]");
                    throw new MigrationFailedException(
                            record.version(),
                            record.script(),
                            record.line(),
                            record.statement(),
                            record.sqlState(),
                            record.errorCode(),
                            record.message(),
                            record.failedBy(),
                            record.failedAt(),
                            "Fix the script, or run it again explicitly (retryFailed; lockstep migrate"
                                    + " --retry-failed)");
                }
                earlier.add(script.checksum());
            }
        }

        /**
         * Records a failed attempt where every later worker sees it: takes back the deploy (to the
         * savepoint), writes the record in the same transaction, still holding the lock, and
         * commits. A record that cannot be written costs only the time a later worker spends
         * failing the same way, so it is logged, not thrown.
         */
        private void recordFailure(Session session, MigrationFailedException failed, List<MigrationScript> batch) {
            if (failed.version().isEmpty()) {
                return; // a repeatable script has no version to key a record by: the next worker runs it
            }
            List<String> earlier = new ArrayList<>();
            MigrationScript failing = null;
            for (MigrationScript script : batch) {
                if (failed.version().get().equals(script.version())) {
                    failing = script;
                    break;
                }
                earlier.add(script.checksum());
            }
            if (failing == null || settings.failureWindow().isZero()) {
                return;
            }
            FailureRecord record = new FailureRecord(
                    failing.version(),
                    failing.fileName(),
                    failing.checksum(),
                    FailureRecord.earlierChecksum(earlier),
                    failed.line(),
                    failed.statementExcerpt(),
                    failed.sqlState(),
                    failed.errorCode(),
                    failed.getMessage(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS),
                    settings.owner());
            try {
                session.undoDeploy();
                session.insertFailure(record);
                commit(session);
            } catch (SQLException | RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        () -> "The failed attempt at migration [" + record.version() + "] on [" + database.describe()
                                + "] could not be recorded, so other workers will run it again: " + e);
            }
        }

        /** Stops the call if it was cancelled, or if its thread was interrupted while it holds the lock. */
        private void checkCancelled() {
            if (cancellation.isCancelled()) {
                throw new Stop(true, holding, null);
            }
            if (holding && Thread.currentThread().isInterrupted()) {
                throw new Stop(false, holding, null);
            }
        }

        /** The API's exception for a stopped call, whose session is closed (rolled back). */
        private MigrationInterruptedException stopped(Stop stop) {
            stopWaiting();
            if (stop.applying) {
                return new MigrationInterruptedException(
                        MigrationInterruptedException.Stage.APPLYING,
                        stop.cancelled,
                        doing() + " on [" + database.describe() + "]",
                        Duration.ofMillis(waitedMillis),
                        stateAfterRollback(),
                        stop.getCause());
            }
            return new MigrationInterruptedException(
                    MigrationInterruptedException.Stage.WAITING,
                    stop.cancelled,
                    waitedMillis == 0
                            ? "starting on [" + database.describe() + "], before it took the lock"
                            : "waiting for the lock on [" + database.describe() + "] after [" + waitedMillis + " ms]",
                    Duration.ofMillis(waitedMillis),
                    committedSoFar().replace("of it", "of this deploy") + "; " + versionOf(lastSeen, "is"),
                    stop.getCause());
        }

        /** A fault while holding the lock, its message completed with the state the database is in. */
        private DatabaseException afterFault(DatabaseException fault) {
            String state = stateAfterRollback();
            return new DatabaseException(
                    fault.reason(),
                    fault.getMessage() + ". " + Character.toUpperCase(state.charAt(0)) + state.substring(1),
                    fault.getCause() != null ? fault.getCause() : fault);
        }

        /**
         * What a deploy that failed or stopped while holding the lock left behind, read back on
         * a new connection after its own was closed: closing rolled back what was not committed,
         * and the read rolls back a hot journal that a failed write left (SQLite), so that what it
         * reports is what every later reader sees.
         */
        private String stateAfterRollback() {
            HistorySnapshot back;
            try {
                back = readBack();
            } catch (SQLException | RuntimeException e) {
                String reason = e.getMessage();
                if (committing) {
                    return "the failure came during COMMIT, so whether the deploy was committed is unknown, and the"
                            + " history could not be read back (" + reason + "); see lockstep status";
                }
                return "the deploy was rolled back (the database rolls back what was not committed): "
                        + committedSoFar() + "; " + versionOf(lastSeen, "was") + " when this worker took the lock"
                        + " (it could not be read back: " + reason + ")";
            }
            List<String> committedAnyway = new ArrayList<>();
            for (HistoryRow row : back.rows()) {
                boolean inBatch = batch.stream().anyMatch(s -> s.version().equals(row.version()));
                boolean before = appliedHere.stream().anyMatch(a -> a.version().equals(row.version()));
                if (inBatch && !before && row.appliedBy().equals(settings.owner())) {
                    committedAnyway.add(row.version().toString());
                }
            }
            if (!committedAnyway.isEmpty()) {
                return "the deploy of " + committedAnyway + " was committed before the failure was reported; "
                        + versionOf(back, "is");
            }
            return "the deploy was rolled back: " + committedSoFar() + "; " + versionOf(back, "is");
        }

        private String committedSoFar() {
            if (appliedHere.isEmpty()) {
                return "nothing of it was committed";
            }
            return "migrations "
                    + appliedHere.stream().map(a -> a.version().toString()).toList()
                    + " of it were committed before, each in its own transaction, and stay";
        }

        private String versionOf(HistorySnapshot history, String verb) {
            if (history == null) {
                return "this worker had not read the database's history yet";
            }
            Optional<MigrationVersion> version =
                    history.rows().stream().map(HistoryRow::version).max(Comparator.naturalOrder());
            return version.map(v -> "the database " + verb + " at version [" + v + "]")
                    .orElse("the database " + (verb.equals("is") ? "has" : "had") + " no migration applied");
        }

        /** Reads the history on a new connection, retrying a busy read for at most a second. */
        private HistorySnapshot readBack() throws SQLException {
            long deadline = clock.millis() + READ_BACK.toMillis();
            int tries = 0;
            while (true) {
                try (Session session = database.open()) {
                    return session.readHistory();
                } catch (SQLException e) {
                    if (!database.isBusy(e) || clock.millis() >= deadline) {
                        throw e;
                    }
                    try {
                        sleeper.sleep(backoff.delay(++tries, random));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }

        /** One attempt of {@link #underLock} on a new connection; empty means "try again". */
        <T> Optional<T> attemptLocked(LockedWork<T> work, String doing) {
            try (Session session = database.open()) {
                attempts++;
                session.lock(settings.lockTimeout().minus(waited()));
                stopWaiting();
                LockedWork.Outcome<T> outcome = work.run(session);
                if (outcome.commit()) {
                    commit(session);
                }
                return Optional.of(outcome.result());
            } catch (StatementLockTimeoutException e) {
                awaitRetry(e, doing, LockTimeoutException.Wait.TABLE_LOCK, settings.lockTimeout());
                return Optional.empty();
            } catch (SQLException e) {
                awaitRetry(e, doing, LockTimeoutException.Wait.MIGRATION_LOCK, settings.lockTimeout());
                return Optional.empty();
            }
        }

        /**
         * Takes this thread's turn at the database among the threads of the process; if another
         * thread has it, waits in memory until it is given up (a wait like any other: bounded by
         * the lock timeout, counted, told to the listener), and takes it then. While it waits, a
         * history the holder published (read after this wait began) is planned against: if it
         * shows nothing left to do, the call returns that result without a connection of its own.
         *
         * @return the result, if a published read showed the work done; empty once the turn is taken
         */
        private Optional<MigrateResult> takeTurn() {
            turn = turns.tryTake(turnKey);
            turnWaited = turn == null;
            if (turn != null) {
                return Optional.empty();
            }
            long turnWaitBegan = clock.millis();
            try (Turns.Waiter waiter = turns.waiter(turnKey)) {
                if (waitingSinceMillis < 0) {
                    waitingSinceMillis = clock.millis();
                }
                Duration waitedBefore = waited();
                int tries = failures;
                tell(() -> settings.listener().lockBusy(waitedBefore, Math.max(1, tries)));
                while (true) {
                    // In slices, so that a cancel is seen within one. What the holder published is
                    // looked at before the turn is tried: a waiter that took the turn as soon as
                    // it was free would read for itself what was read for it.
                    checkCancelled();
                    Duration left = settings.lockTimeout().minus(waited());
                    if (left.compareTo(Duration.ZERO) <= 0) {
                        scripts(); // a script this call cannot load is its failure, not the wait
                        throw new LockTimeoutException(
                                LockTimeoutException.Wait.MIGRATION_LOCK,
                                database.describe(),
                                waited(),
                                attempts,
                                null,
                                "This call waited for another thread of this process, whose turn at the"
                                        + " database it was: the threads of a process migrate a database one"
                                        + " at a time");
                    }
                    Optional<MigrateResult> done =
                            doneBy(waiter.await(left.compareTo(TURN_SLICE) < 0 ? left : TURN_SLICE));
                    if (done.isPresent()) {
                        return done;
                    }
                    turn = turns.tryTake(turnKey);
                    if (turn != null) {
                        // Published between the end of the slice above and this take: looked at too.
                        done = doneBy(waiter.await(Duration.ZERO));
                        if (done.isPresent()) {
                            giveUpTurn();
                        }
                        return done;
                    }
                    if (shared
                            && pendingAtStart == null
                            && !ownReadGivenUp
                            && clock.millis() - turnWaitBegan >= ownReadAfter.toMillis()) {
                        // The holder has been at work a while (a long deploy, or a lock another
                        // process holds) and this call has seen no history yet: it reads for itself,
                        // so that a call with nothing to do returns now instead of after that work.
                        return Optional.empty();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationInterruptedException(database.describe(), waited(), e);
            }
        }

        /**
         * Plans against a history another thread of the process read after this one began to wait,
         * as against a read of its own; returns the result if nothing in scope is pending.
         */
        private Optional<MigrateResult> doneBy(Optional<Turns.Published> publication) {
            if (publication.isEmpty() || !shared) {
                return Optional.empty();
            }
            Turns.Published published = publication.get();
            // Committed after this wait began, so during this call: applied by others.
            committedMeanwhile.addAll(published.committed());
            if (published.history().isEmpty() || action == Action.BASELINE) {
                return Optional.empty();
            }
            HistorySnapshot history = published.history().get();
            lastSeen = history;
            requireCommittedVisible(history);
            Plan plan = plan(history);
            if (pendingAtStart == null) {
                pendingAtStart = keysOf(inScope(plan));
            }
            if (!inScope(plan).isEmpty()) {
                return Optional.empty();
            }
            stopWaiting();
            return Optional.of(result(plan));
        }

        /** The history read on the session that just committed; empty if the read failed. */
        private Optional<HistorySnapshot> readAfterCommit(Session session) {
            try {
                return Optional.of(session.readHistory());
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "Not read again after the commit, on the same connection: " + e);
                return Optional.empty();
            }
        }

        /**
         * Gives up this thread's turn as soon as it no longer needs the lock: its waiters wake
         * then, not when this call has closed its connection and built its result.
         */
        private void giveUpTurn() {
            if (turn != null) {
                turn.close();
                turn = null;
                firstReadInTurn = null;
            }
        }

        /**
         * Leaves a read that found nothing to do for the threads waiting for this turn, if the
         * reads of this history table can be shared and any thread waits.
         *
         * @param mark the turn's mark taken before the read began
         * @param history what it found
         */
        private void publishRead(long mark, HistorySnapshot history) {
            if (shared && turn != null && turn.awaited()) {
                turn.publish(new Turns.Published(mark, Optional.of(history), committedInTurn(history)));
            }
        }

        /**
         * What was committed since the first read of this thread's turn, as {@code history}
         * shows it: by this thread or by another worker the turn's holder waited for. The threads
         * that waited for the turn count it as applied by others; without it, a thread whose
         * only read is the holder's last one could not tell a migration committed while it
         * waited from one committed before its call.
         */
        private Set<MigrationKey> committedInTurn(HistorySnapshot history) {
            Set<MigrationKey> committed = keysOfRows(history.rows());
            if (firstReadInTurn != null) {
                committed.removeAll(keysOfRows(firstReadInTurn.rows()));
            }
            return committed;
        }

        @Override
        public void close() {
            giveUpTurn();
        }

        /**
         * Commits, polling while readers keep a rollback-journal database busy: a busy COMMIT
         * leaves the transaction open (see the comment at the top of this file).
         */
        private void commit(Session session) throws SQLException {
            while (true) {
                try {
                    session.commit();
                    stopWaiting();
                    return;
                } catch (SQLException e) {
                    if (!database.isBusy(e)) {
                        throw e;
                    }
                    if (waitingSinceMillis < 0) {
                        waitingSinceMillis = clock.millis(); // the work before the commit was no wait
                    }
                    awaitRetry(e, "committing", LockTimeoutException.Wait.COMMIT, settings.lockTimeout());
                }
            }
        }

        // A migration this call committed must be in every later read: see "Termination" at the top.
        private void requireCommittedVisible(HistorySnapshot history) {
            if (appliedKeys.isEmpty()) {
                return;
            }
            Set<MigrationKey> seen = new HashSet<>();
            for (HistoryRow row : history.rows()) {
                seen.add(MigrationKey.of(row));
            }
            for (MigrationKey mine : appliedKeys) {
                if (!seen.contains(mine)) {
                    String name = mine.version() != null ? mine.version().toString() : mine.description();
                    throw new DatabaseException(
                            DatabaseException.Reason.COMMITS_LOST,
                            "Database ["
                                    + database.describe() + "] lost migration [" + name + "] that this call"
                                    + " committed: a new connection does not see it. A private in-memory database"
                                    + " (jdbc:sqlite::memory:) is a new, empty database on every connection; use a file,"
                                    + " or give Lockstep a URL (it keeps one connection for an in-memory database)",
                            null);
                }
            }
        }

        /** Every script, loaded on the first call. */
        List<MigrationScript> scripts() {
            if (scripts == null) {
                scripts = loader.get();
            }
            return scripts;
        }

        Plan plan(HistorySnapshot history) {
            Plan plan = Plan.of(scripts(), history, settings.outOfOrder());
            List<ValidationProblem> problems = plan.problems(settings.failOnFuture());
            if (settings.validate() && !problems.isEmpty()) {
                throw new ValidationFailedException(problems);
            }
            return plan;
        }

        /**
         * The pending migrations this call applies: versioned ones up to the target, then the
         * repeatable ones, unless a versioned migration beyond the target stays pending (a
         * repeatable migration is written against the schema of the whole deploy) or this call
         * applied that script already.
         */
        List<MigrationScript> inScope(Plan plan) {
            List<MigrationScript> scope = new ArrayList<>(plan.pending().size());
            boolean versionedLeft = false;
            for (MigrationScript script : plan.pending()) {
                if (!script.repeatable()) {
                    if (inTarget(script.version())) {
                        scope.add(script);
                    } else {
                        versionedLeft = true;
                    }
                } else if (!versionedLeft && !appliedKeys.contains(MigrationKey.of(script))) {
                    scope.add(script);
                }
            }
            return scope;
        }

        private boolean inTarget(MigrationVersion version) {
            return settings.target() == null || version.compareTo(settings.target()) <= 0;
        }

        List<PendingMigration> planOf(List<MigrationScript> pending) {
            return pending.stream()
                    .map(s -> new PendingMigration(
                            Optional.ofNullable(s.version()), s.description(), s.fileName(), s.steps()))
                    .toList();
        }

        List<MigrationScript> baselineTargets(HistorySnapshot history) {
            String where = "Baseline of [" + database.describe() + "] at version [" + baselineVersion + "] refused: ";
            if (history.tableExists()) {
                throw new DatabaseException(
                        DatabaseException.Reason.BASELINE_REFUSED,
                        where + "history table" + " already exists with ["
                                + history.rows().size() + "] rows; a history is never rewritten",
                        null);
            }
            if (!history.hasOtherTables()) {
                throw new DatabaseException(
                        DatabaseException.Reason.BASELINE_REFUSED,
                        where + "the database has" + " no tables to adopt; run migrate instead",
                        null);
            }
            List<MigrationScript> targets = scripts().stream()
                    .filter(s -> !s.repeatable() && s.version().compareTo(baselineVersion) <= 0)
                    .toList();
            if (targets.isEmpty()) {
                throw new DatabaseException(
                        DatabaseException.Reason.BASELINE_REFUSED,
                        where + "no script has a" + " version at or below it",
                        null);
            }
            return targets;
        }

        private MigrateResult recordBaseline(Session session, HistorySnapshot lockedHistory) throws SQLException {
            List<MigrationScript> targets = baselineTargets(lockedHistory);
            session.createHistoryTable();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            List<AppliedMigration> rows = new ArrayList<>();
            for (MigrationScript script : targets) {
                HistoryRow row = new HistoryRow(
                        script.version(),
                        script.description(),
                        script.fileName(),
                        script.checksum(),
                        now,
                        settings.owner(),
                        0,
                        typeOf(script),
                        0);
                session.insertHistory(row);
                rows.add(row.toApplied());
            }
            commit(session);
            LOG.log(
                    Level.INFO,
                    () -> "Baselined [" + database.describe() + "] at version [" + baselineVersion + "]: ["
                            + rows.size() + "] migrations recorded as applied");
            Optional<MigrationVersion> current =
                    rows.stream().flatMap(row -> row.version().stream()).max(Comparator.naturalOrder());
            return new MigrateResult(rows, List.of(), List.of(), List.of(), current, waited(), attempts);
        }

        private List<HistoryRow> apply(Session session, HistorySnapshot history, List<MigrationScript> batch)
                throws SQLException {
            prepareHistoryTable(session, history, batch);
            MigrationListener listener = settings.listener();
            List<HistoryRow> rows = new ArrayList<>(batch.size());
            for (MigrationScript script : batch) {
                current = script;
                currentStatement = null;
                Instant started = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                Optional<MigrationVersion> version = Optional.ofNullable(script.version());
                int total = script.steps();
                tell(() -> listener.migrationStarted(version, script.fileName(), total));
                session.startMigration();
                if (script.java()) {
                    runJava(session, script);
                    Duration elapsed = Duration.ofMillis(Math.max(0, clock.millis() - started.toEpochMilli()));
                    tell(() -> listener.statementCompleted(version, 1, 1, elapsed));
                }
                int done = 0;
                for (SqlStatement statement : script.statements()) {
                    checkCancelled();
                    currentStatement = statement;
                    long statementStarted = clock.millis();
                    try {
                        session.execute(statement);
                    } catch (StatementLockTimeoutException e) {
                        // A wait, not a failure: it counts from when the statement began waiting.
                        if (waitingSinceMillis < 0) {
                            waitingSinceMillis = statementStarted;
                        }
                        throw new StatementLockTimeoutException(
                                "Statement [" + statement.excerpt()
                                        + "] of migration ["
                                        + (script.repeatable() ? script.description() : script.version())
                                        + "] in [" + script.fileName()
                                        + "] at line [" + statement.line()
                                        + "] waited for a lock another session holds: "
                                        + e.getMessage(),
                                e);
                    } catch (SQLException e) {
                        // A cancelled statement fails: that is the stop, not the script's fault.
                        if (cancellation.isCancelled()) {
                            throw new Stop(true, true, e);
                        }
                        // The lock is held: no error of a script's own statement means "busy,
                        // try again" (a locked table is our own transaction's doing). Only a
                        // fault of the database itself is reported as such, told apart now,
                        // while the files and the connection are as the fault left them.
                        if (database.isDatabaseFault(e)) {
                            throw database.translate(e, doing());
                        }
                        throw new MigrationFailedException(
                                version, script.fileName(), statement.line(), statement.excerpt(), e);
                    }
                    int number = ++done;
                    Duration elapsed = Duration.ofMillis(Math.max(0, clock.millis() - started.toEpochMilli()));
                    tell(() -> listener.statementCompleted(version, number, total, elapsed));
                }
                long millis = Math.max(0, clock.millis() - started.toEpochMilli());
                HistoryRow row = new HistoryRow(
                        script.version(),
                        script.description(),
                        script.fileName(),
                        script.checksum(),
                        started,
                        settings.owner(),
                        millis,
                        typeOf(script),
                        0);
                session.insertHistory(row);
                rows.add(row);
                currentStatement = null;
            }
            current = null;
            // Once per transaction, before commit: a check per script would cost a scan of
            // every child table per migration, most of a deploy's overhead.
            List<String> violations = session.integrityViolations();
            if (!violations.isEmpty()) {
                MigrationScript last = batch.get(batch.size() - 1);
                String problem = (batch.size() == 1
                                ? "it left "
                                : "the deploy of "
                                        + batch.stream()
                                                .map(MigrationScript::fileName)
                                                .toList() + " left ")
                        + String.join("; ", violations);
                throw new MigrationFailedException(
                        Optional.ofNullable(last.version()),
                        last.fileName(),
                        problem,
                        new SQLException(problem, "23000"));
            }
            return rows;
        }

        // A Java migration's failure, whatever it throws, is the migration's and rolls the deploy
        // back; only a fault of the database itself is reported as such, as for a script.
        private void runJava(Session session, MigrationScript script) throws SQLException {
            try {
                session.runJava(script.code(), "Java migration [" + script.fileName() + "]");
            } catch (SQLException e) {
                if (database.isDatabaseFault(e)) {
                    throw e;
                }
                throw new MigrationFailedException(script.version(), script.fileName(), e);
            } catch (RuntimeException e) {
                if (e instanceof LockstepException) {
                    throw e;
                }
                throw new MigrationFailedException(script.version(), script.fileName(), e);
            }
        }

        /**
         * Creates the history table if the locked read found none; upgrades a table of an older
         * format if this transaction records a row only the current format holds (a repeatable
         * migration's), here, under the lock, so the upgrade commits with the deploy or not at all.
         */
        private void prepareHistoryTable(Session session, HistorySnapshot history, List<MigrationScript> batch)
                throws SQLException {
            boolean upgrade = history.tableExists()
                    && history.format() < HistoryTable.FORMAT
                    && batch.stream().anyMatch(MigrationScript::repeatable);
            try {
                if (!history.tableExists()) {
                    session.createHistoryTable();
                } else if (upgrade) {
                    session.upgradeHistoryTable(history.rows());
                }
            } catch (SQLException e) {
                if (database.isBusy(e)) {
                    throw e;
                }
                throw database.translate(e, upgrade ? "upgrading the history table" : "creating the history table");
            }
            if (upgrade) {
                LOG.log(
                        Level.INFO,
                        () -> "Upgrading the history table of [" + database.describe() + "] from format ["
                                + history.format() + "] to [" + HistoryTable.FORMAT
                                + "] with this deploy, keeping its ["
                                + history.rows().size() + "] rows");
            }
        }

        /**
         * Waits before the next try if the error is a busy one, and throws otherwise: the
         * error translated, or the lock error once the wait reaches {@code bound} or the
         * attempt limit.
         */
        void awaitRetry(SQLException error, String doing, LockTimeoutException.Wait waitingFor, Duration bound) {
            Duration delay = beforeRetry(error, doing, waitingFor, bound);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationInterruptedException(database.describe(), waited(), e);
            }
            checkCancelled();
        }

        /**
         * After the lock was found busy, waits on the same session for the next try: until
         * another connection commits (the session's change token moves: the holder may be
         * done) or the backoff delay passes, whichever comes first, watching every
         * {@link Backoff#watch()}. A commit elsewhere wakes the waiter within a watch, not on
         * its next poll, and watching costs a query on an open connection instead of a new
         * connection per poll. Returns whether the history may have changed: not if the
         * session's token tracks every commit and has not moved (the lock was let go by a
         * rollback or a crash, or is still held), so the next try need not read it again: a
         * waiter tries the lock hundreds of times a second, and the read cost more than the
         * try. The read under the lock decides in any case.
         */
        boolean awaitChange(Session session, SQLException busy) throws SQLException {
            OptionalLong atRead = session.tokenOfLastRead();
            long token = atRead.isPresent() ? atRead.getAsLong() : session.changeToken();
            Duration delay =
                    beforeRetry(busy, "migrating", LockTimeoutException.Wait.MIGRATION_LOCK, settings.lockTimeout());
            // Measured with the clock, not by adding up the steps: a step may take longer than asked.
            Instant until = clock.instant().plus(delay);
            boolean holderCommitting = false;
            try {
                while (true) {
                    Duration left = Duration.between(clock.instant(), until);
                    if (left.compareTo(Duration.ZERO) <= 0) {
                        Duration waited = waited();
                        if (waited.compareTo(settings.lockTimeout()) >= 0) {
                            // The bound passed while waiting: no last try after it.
                            throw lockTimeout(LockTimeoutException.Wait.MIGRATION_LOCK, waited, attempts, busy);
                        }
                        return atRead.isEmpty();
                    }
                    if (holderCommitting) {
                        // The holder lets go of its lock once its commit is written, and that
                        // changes no file: a wait for the files would sleep out the delay.
                        Session.poll(backoff.watch(), left, sleeper);
                    } else {
                        session.pauseForCommit(backoff.watch(), left, sleeper);
                    }
                    checkCancelled();
                    long now;
                    try {
                        now = session.changeToken();
                    } catch (SQLException e) {
                        if (!database.isBusy(e)) {
                            throw e;
                        }
                        // The holder is writing its commit (SQLite's rollback journal keeps
                        // readers out until it is done): look again after one watch.
                        busySinceChange = 0;
                        holderCommitting = true;
                        continue;
                    }
                    holderCommitting = false;
                    if (now != token) {
                        busySinceChange = 0;
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationInterruptedException(database.describe(), waited(), e);
            }
        }

        /**
         * Counts a busy error as part of this call's wait, throws the lock error at the bound
         * (or the error itself if it is not busy), logs and tells the listener; returns how
         * long to wait before the next try.
         */
        private Duration beforeRetry(
                SQLException error, String doing, LockTimeoutException.Wait waitingFor, Duration bound) {
            // A connection lost (a server restarting), or a server unreachable after it was reached
            // in this call, is waited out like a busy lock; a database never reached is an error
            // at once (a wrong address).
            if (database.isConnectionLost(error)) {
                reached = true; // a connection was made, to be lost
            }
            boolean lost = database.isConnectionLost(error) || (reached && database.isUnreachable(error));
            if (!(error instanceof StatementLockTimeoutException) && !database.isBusy(error) && !lost) {
                throw database.translate(error, doing);
            }
            if (lost && !lostNoticed) {
                lostNoticed = true;
                LOG.log(
                        Level.WARNING,
                        () -> "Lost the connection to [" + database.describe() + "] while " + doing
                                + "; reconnecting within the lock timeout: " + error.getMessage());
            }
            failures++;
            busySinceChange++;
            if (waitingSinceMillis < 0) {
                waitingSinceMillis = clock.millis();
            }
            Duration waited = waited();
            if (waited.compareTo(bound) >= 0 || attempts >= settings.maxLockAttempts()) {
                int tries = waitingFor == LockTimeoutException.Wait.HISTORY_READ ? failures : attempts;
                if (lost) {
                    throw new DatabaseException(
                            DatabaseException.Reason.CONNECTION_LOST,
                            "Database [" + database.describe() + "] could not be reached again after the connection"
                                    + " was lost while " + doing + ": waited [" + waited.toMillis() + " ms] over ["
                                    + failures + "] tries, the whole bound; "
                                    + committedSoFar().replace("of it", "of this deploy") + "; "
                                    + (lastSeen == null
                                            ? versionOf(null, "was")
                                            : versionOf(lastSeen, "was") + " when last read")
                                    + ". Last error: " + error.getMessage(),
                            error);
                }
                throw error instanceof StatementLockTimeoutException
                        ? new LockTimeoutException(
                                waitingFor, database.describe(), waited, tries, error, error.getMessage())
                        : lockTimeout(waitingFor, waited, tries, error);
            }
            if (waited.compareTo(nextNotice) >= 0) {
                notices++;
                nextNotice = nextNotice.multipliedBy(2);
                Level level = notices <= 3 ? Level.DEBUG : notices <= 7 ? Level.INFO : Level.WARNING;
                int tries = failures;
                LOG.log(
                        level,
                        () -> "Waiting for the migration lock on [" + database.describe() + "]: [" + waited.toMillis()
                                + " ms] over [" + tries + "] busy tries while " + doing);
            }
            int failed = failures;
            tell(() -> settings.listener().lockBusy(waited, failed));
            Duration remaining = bound.minus(waited);
            // A server that is down is asked again every 50-150 ms, not every few: a restart takes
            // seconds, and a herd of pollers would only add refused connections.
            Duration delay = lost
                    ? RECONNECT_DELAY.dividedBy(2).plusMillis(random.nextLong(RECONNECT_DELAY.toMillis()))
                    : backoff.delay(busySinceChange, random);
            return delay.compareTo(remaining) < 0 ? delay : remaining;
        }

        /** The lock error, naming who holds the lock when the operating system or the server can tell. */
        private LockTimeoutException lockTimeout(
                LockTimeoutException.Wait waitingFor, Duration waited, int tries, Throwable cause) {
            if (waitingFor == LockTimeoutException.Wait.MIGRATION_LOCK
                    || waitingFor == LockTimeoutException.Wait.HISTORY_READ) {
                Optional<LockHolder> holder = database.lockHolder();
                if (holder.isPresent()) {
                    return new LockTimeoutException(
                            waitingFor, database.describe(), waited, tries, cause, holder.get());
                }
            }
            return new LockTimeoutException(waitingFor, database.describe(), waited, tries, cause);
        }

        private void stopWaiting() {
            if (waitingSinceMillis >= 0) {
                waitedMillis += Math.max(0, clock.millis() - waitingSinceMillis);
                waitingSinceMillis = -1;
            }
        }

        /** Every wait of this call so far, the current one included. */
        private Duration waited() {
            long current = waitingSinceMillis < 0 ? 0 : Math.max(0, clock.millis() - waitingSinceMillis);
            return Duration.ofMillis(waitedMillis + current);
        }

        /**
         * Whether a migration's run ended after this call began, by the history's own clock: then
         * its commit, which came after, was not visible when the call began. A row's time is when
         * the migration started, which may be long before a slow migration's commit; a call whose
         * only reads came after that commit (another thread's read, or its own first read blocked
         * until the commit) would otherwise take it for one applied before the call.
         */
        private boolean endedAfterStart(HistoryRow row) {
            return row.appliedAt()
                    .plusMillis(Math.max(0, row.executionMillis()))
                    .isAfter(startedAt);
        }

        private MigrateResult result(Plan plan) {
            stopWaiting();
            Duration lockWait = Duration.ofMillis(waitedMillis);
            List<AppliedMigration> byOthers = new ArrayList<>();
            for (HistoryRow row : plan.applied().values()) {
                MigrationKey key = MigrationKey.of(row);
                boolean raced =
                        pendingAtStart.contains(key) || committedMeanwhile.contains(key) || endedAfterStart(row);
                if (raced && !appliedKeys.contains(key) && inTarget(row.version())) {
                    byOthers.add(row.toApplied());
                }
            }
            // A repeatable migration counts as this call's script, as the latest row of its description.
            Set<MigrationKey> known = keysOf(scripts());
            for (HistoryRow row : plan.repeatables().values()) {
                MigrationKey key = MigrationKey.of(row);
                boolean raced =
                        pendingAtStart.contains(key) || committedMeanwhile.contains(key) || endedAfterStart(row);
                if (raced && known.contains(key) && !appliedKeys.contains(key)) {
                    byOthers.add(row.toApplied());
                }
            }
            byOthers.sort(APPLIED_ORDER);
            if (!appliedHere.isEmpty() || !byOthers.isEmpty()) {
                int byOthersCount = byOthers.size();
                LOG.log(
                        Level.INFO,
                        () -> "Migrations done on [" + database.describe() + "]: [" + appliedHere.size()
                                + "] applied here, [" + byOthersCount + "] applied by others, lock wait ["
                                + lockWait.toMillis() + " ms] over [" + attempts + "] attempts");
            }
            if (!plan.skipped().isEmpty()) {
                LOG.log(
                        Level.WARNING,
                        () -> "Not applied on [" + database.describe() + "]: "
                                + plan.skipped().stream()
                                        .map(i -> i.name() + " (" + i.script() + ")")
                                        .toList()
                                + ", below the highest applied version ["
                                + plan.currentVersion().orElseThrow()
                                + "] (out of order); allow out-of-order migrations to apply them");
            }
            if (!plan.future().isEmpty()) {
                LOG.log(
                        Level.INFO,
                        () -> "Database [" + database.describe() + "] has applied versions "
                                + plan.future().stream()
                                        .map(MigrationInfo::name)
                                        .toList()
                                + " above every script here (a newer release applied them); continuing");
            }
            return new MigrateResult(
                    appliedHere, byOthers, plan.skipped(), plan.future(), plan.currentVersion(), lockWait, attempts);
        }
    }

    /**
     * Unwinds a call that must stop (cancelled, or its thread interrupted while it holds the
     * lock) to where its session is closed; {@link Run#attemptUnlessStopped} then turns it into
     * the API's exception, with the state the database is in.
     */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean cancelled;
        private final boolean applying;

        Stop(boolean cancelled, boolean applying, Throwable cause) {
            super(cancelled ? "cancelled" : "interrupted", cause, false, false);
            this.cancelled = cancelled;
            this.applying = applying;
        }
    }

    /**
     * Calls a listener: its failure must not fail a migration that is otherwise fine, so it is
     * logged and ignored.
     *
     * @param call the call
     */
    public static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "A MigrationListener threw; ignored: " + e);
        }
    }

    private static Set<MigrationKey> keysOfRows(List<HistoryRow> rows) {
        Set<MigrationKey> keys = new HashSet<>();
        for (HistoryRow row : rows) {
            keys.add(MigrationKey.of(row));
        }
        return keys;
    }

    private static Set<MigrationKey> keysOf(List<MigrationScript> scripts) {
        Set<MigrationKey> keys = new HashSet<>();
        for (MigrationScript script : scripts) {
            keys.add(MigrationKey.of(script));
        }
        return keys;
    }

    private static HistoryRow.Type typeOf(MigrationScript script) {
        return script.repeatable()
                ? HistoryRow.Type.REPEATABLE
                : script.java() ? HistoryRow.Type.JAVA : HistoryRow.Type.SQL;
    }
}

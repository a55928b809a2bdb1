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
import java.util.Set;
import java.util.random.RandomGenerator;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.DatabaseInfo;
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
 *   1. Read the committed history without any lock and plan against it. If nothing is
 *      pending (and validation passes) return: an up-to-date database costs one read
 *      transaction and never takes the lock, so a restart of 20 workers neither serialises
 *      them nor blocks the application's writers. A worker that lost the race also leaves
 *      here, as soon as the winner's commit is visible, without queueing for the lock it no
 *      longer needs.
 *   2. Take this thread's turn among the threads of the process (Turns), then the lock
 *      (Session.lock), failing fast if another connection holds it. The turn is held until
 *      the call ends: the other threads of the process wait for it in memory, then read the
 *      history again (usually finding the work done) instead of polling the same lock. This
 *      changes nothing the database sees but the number of pollers: one per process, not
 *      one per thread, so a process's twenty threads are one contender, and a thread
 *      released by the turn wakes at once rather than on its next poll.
 *   3. Under the lock, read the history again and plan again. The read in step 1 is only a
 *      hint: another worker may have committed between it and the lock. Deciding from the
 *      stale read is the check-then-act race that applies a migration twice.
 *   4. Create the history table if absent, run the pending scripts, insert their history
 *      rows, check the integrity rules not enforced while they ran (SQLite's foreign keys),
 *      commit: effects and history rows land in one transaction, so no reader can ever see
 *      an effect without its row or a row without its effect. In PER_MIGRATION mode each
 *      transaction holds one migration and the loop goes back to step 1.
 *
 * On a busy error at any step the connection is closed (rolling back whatever it did) and
 * the next attempt opens a new one after a backoff wait, except a refused lock: then the
 * worker keeps its connection (it holds nothing) and watches the database's change token
 * (SQLite's PRAGMA data_version, which moves when another connection commits) until the
 * token moves or the backoff delay passes, and reads and tries again on the same connection.
 * A holder's commit wakes its waiters within one watch (0.25 ms) instead of on their next
 * poll, and a watch is a query on an open connection, not a new connection; a database
 * without such a token (PostgreSQL) waits out the delay as before. A release without a
 * commit (a rollback, a crash) moves no token, and is found by the next try. The one exception is the commit: a
 * database may need readers to let go before a commit (SQLite in rollback-journal mode), and
 * a commit that fails busy there leaves the transaction open and may simply be retried, so
 * the holder polls its commit on the same schedule rather than throwing its work away. A
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
 * call committed is an error, not a reason to apply it again.
 *
 * Why short waits. A database's own lock wait sleeps on its schedule (SQLite's busy handler
 * in growing steps up to 100 ms, so a waiter wakes up to 100 ms after the lock is freed:
 * measured median 22 ms, p95 94 ms) or cannot be interrupted from Java (PostgreSQL's
 * pg_advisory_xact_lock). The protocol instead tries without waiting and polls on its own
 * schedule: full-jitter exponential backoff from 1 ms, capped at 8 ms. The jitter keeps a
 * herd from polling in step; the cap bounds wake-up latency to about 8 ms; and since a poll
 * is one connection open and one failed lock call, 20 waiters cost a few thousand cheap calls
 * a second while a migration runs. A waiter that finds the work done in step 1 returns
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
            MigrationListener listener) {

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
                    config.listener());
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
        try (Run run = new Run(random, Action.MIGRATE, scripts, null)) {
            while (true) {
                Optional<MigrateResult> done = run.attempt();
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
        try (Run run = new Run(random, Action.DRY_RUN, scripts, null)) {
            if (database.isAbsent()) {
                return run.planOf(run.inScope(run.plan(HistorySnapshot.ABSENT)));
            }
            while (true) {
                if (run.attempt().isPresent()) {
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
        try (Run run = new Run(random, Action.BASELINE, scripts, version)) {
            if (database.isAbsent()) {
                run.baselineTargets(HistorySnapshot.ABSENT); // refuses: nothing to adopt
            }
            while (true) {
                Optional<MigrateResult> done = run.attempt();
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
        Run run = new Run(random, Action.DRY_RUN, List.of(), null);
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
        Run run = new Run(random, Action.DRY_RUN, List.of(), null);
        Duration bound = settings.lockTimeout().compareTo(READ_TIMEOUT) < 0 ? settings.lockTimeout() : READ_TIMEOUT;
        while (true) {
            try (Session session = database.open()) {
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
        Run run = new Run(random, Action.DRY_RUN, List.of(), null);
        Duration bound = settings.lockTimeout().compareTo(READ_TIMEOUT) < 0 ? settings.lockTimeout() : READ_TIMEOUT;
        while (true) {
            try (Session session = database.open()) {
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
                        Optional.of(lock));
            } catch (SQLException e) {
                run.awaitRetry(e, "inspecting the database", LockTimeoutException.Wait.HISTORY_READ, bound);
            }
        }
    }

    /** The state of one call across its attempts; closing it gives up its turn at the lock. */
    private final class Run implements AutoCloseable {
        private final RandomGenerator random;
        private final Action action;
        private final List<MigrationScript> scripts;
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
        private int attempts;
        private int failures;
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

        Run(RandomGenerator random, Action action, List<MigrationScript> scripts, MigrationVersion baselineVersion) {
            this.random = random;
            this.action = action;
            this.scripts = scripts;
            this.baselineVersion = baselineVersion;
        }

        /** One attempt on a new connection; empty means "try again". */
        Optional<MigrateResult> attempt() {
            try (Session session = database.open()) {
                // Reads, then tries the lock; while it is busy, waits on this session and reads again.
                while (true) {
                    HistorySnapshot history = session.readHistory();
                    requireCommittedVisible(history);
                    Plan plan = plan(history);
                    if (pendingAtStart == null) {
                        pendingAtStart = keysOf(inScope(plan));
                    }
                    if (action == Action.BASELINE) {
                        baselineTargets(history);
                    } else if (inScope(plan).isEmpty()) {
                        stopWaiting();
                        return Optional.of(result(plan));
                    }
                    if (turn == null && takeTurn()) {
                        continue; // another thread of this process had the turn: what was read is stale
                    }
                    attempts++;
                    try {
                        session.lock(settings.lockTimeout().minus(waited()));
                        break;
                    } catch (SQLException e) {
                        if (!database.isBusy(e)) {
                            throw e;
                        }
                        awaitChange(session, e);
                    }
                }
                stopWaiting();
                HistorySnapshot lockedHistory = session.readHistory();
                requireCommittedVisible(lockedHistory);
                Plan locked = plan(lockedHistory);
                List<MigrationScript> pending = inScope(locked);
                if (action == Action.BASELINE) {
                    return Optional.of(recordBaseline(session, lockedHistory));
                }
                if (pending.isEmpty()) {
                    return Optional.of(result(locked));
                }
                if (action == Action.DRY_RUN) {
                    planned = planOf(pending);
                    return Optional.of(result(locked));
                }
                List<MigrationScript> batch =
                        settings.mode() == TransactionMode.ALL_PENDING ? pending : pending.subList(0, 1);
                List<HistoryRow> rows = apply(session, lockedHistory, batch);
                commit(session);
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
                return Optional.empty();
            } catch (StatementLockTimeoutException e) {
                awaitRetry(e, "migrating", LockTimeoutException.Wait.TABLE_LOCK, settings.lockTimeout());
                return Optional.empty();
            } catch (SQLException e) {
                awaitRetry(e, "migrating", LockTimeoutException.Wait.MIGRATION_LOCK, settings.lockTimeout());
                return Optional.empty();
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
         * Takes this thread's turn at the lock among the threads of the process; if another
         * thread has it, waits in memory until it is given up (a wait like any other: bounded by
         * the lock timeout, counted, told to the listener) and returns true without it: what was
         * read is stale, so the caller reads again, and takes the turn then if work is still
         * pending. Every waiter wakes at once when the turn is given up.
         */
        private boolean takeTurn() {
            turn = turns.tryTake(database.describe());
            if (turn != null) {
                return false;
            }
            if (waitingSinceMillis < 0) {
                waitingSinceMillis = clock.millis();
            }
            Duration waited = waited();
            int tries = failures;
            tell(() -> settings.listener().lockBusy(waited, Math.max(1, tries)));
            boolean released;
            try {
                released = turns.awaitRelease(
                        database.describe(), settings.lockTimeout().minus(waited));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationInterruptedException(database.describe(), waited(), e);
            }
            if (!released) {
                throw new LockTimeoutException(database.describe(), waited(), attempts, null);
            }
            return true; // read again: the thread that had the turn has likely done the work
        }

        @Override
        public void close() {
            if (turn != null) {
                turn.close();
                turn = null;
            }
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

        Plan plan(HistorySnapshot history) {
            Plan plan = Plan.of(scripts, history, settings.outOfOrder());
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
            List<MigrationScript> targets = scripts.stream()
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
                        // The lock is held: no error of a script's own statement means "busy,
                        // try again" (a locked table is our own transaction's doing). Only a
                        // fault of the database itself is reported as such.
                        if (database.isDatabaseFault(e)) {
                            throw e;
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
            }
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
        }

        /**
         * After the lock was found busy, waits on the same session for the next try: until
         * another connection commits (the session's change token moves: the holder may be
         * done) or the backoff delay passes, whichever comes first, watching every
         * {@link Backoff#watch()}. A commit elsewhere wakes the waiter within a watch, not on
         * its next poll, and watching costs a query on an open connection instead of a new
         * connection per poll.
         */
        void awaitChange(Session session, SQLException busy) throws SQLException {
            long token = session.changeToken();
            Duration delay =
                    beforeRetry(busy, "migrating", LockTimeoutException.Wait.MIGRATION_LOCK, settings.lockTimeout());
            // Measured with the clock, not by adding up the steps: a step may take longer than asked.
            Instant until = clock.instant().plus(delay);
            try {
                while (true) {
                    Duration left = Duration.between(clock.instant(), until);
                    if (left.compareTo(Duration.ZERO) <= 0) {
                        Duration waited = waited();
                        if (waited.compareTo(settings.lockTimeout()) >= 0) {
                            // The bound passed while waiting: no last try after it.
                            throw new LockTimeoutException(database.describe(), waited, attempts, busy);
                        }
                        return;
                    }
                    sleeper.sleep(left.compareTo(backoff.watch()) < 0 ? left : backoff.watch());
                    if (session.changeToken() != token) {
                        return;
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
            if (!(error instanceof StatementLockTimeoutException) && !database.isBusy(error)) {
                throw database.translate(error, doing);
            }
            failures++;
            if (waitingSinceMillis < 0) {
                waitingSinceMillis = clock.millis();
            }
            Duration waited = waited();
            if (waited.compareTo(bound) >= 0 || attempts >= settings.maxLockAttempts()) {
                int tries = waitingFor == LockTimeoutException.Wait.HISTORY_READ ? failures : attempts;
                throw error instanceof StatementLockTimeoutException
                        ? new LockTimeoutException(
                                waitingFor, database.describe(), waited, tries, error, error.getMessage())
                        : new LockTimeoutException(waitingFor, database.describe(), waited, tries, error);
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
            Duration delay = backoff.delay(failures, random);
            return delay.compareTo(remaining) < 0 ? delay : remaining;
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

        private MigrateResult result(Plan plan) {
            stopWaiting();
            Duration lockWait = Duration.ofMillis(waitedMillis);
            List<AppliedMigration> byOthers = new ArrayList<>();
            for (HistoryRow row : plan.applied().values()) {
                MigrationKey key = MigrationKey.of(row);
                boolean raced = pendingAtStart.contains(key) || row.appliedAt().isAfter(startedAt);
                if (raced && !appliedKeys.contains(key) && inTarget(row.version())) {
                    byOthers.add(row.toApplied());
                }
            }
            // A repeatable migration counts as this call's script, as the latest row of its description.
            Set<MigrationKey> known = keysOf(scripts);
            for (HistoryRow row : plan.repeatables().values()) {
                MigrationKey key = MigrationKey.of(row);
                boolean raced = pendingAtStart.contains(key) || row.appliedAt().isAfter(startedAt);
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

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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.PendingMigration;
import org.lockstep.TransactionMode;
import org.lockstep.ValidationFailedException;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.sql.SqlStatement;

/*
 * The migration lock protocol.
 *
 * Many workers (threads or processes, one connection each) call migrate() on one database
 * at the same moment. Each pending migration must be applied exactly once, in version
 * order; every worker must return success once the schema is current; a failure or a
 * crash at any point must leave the database as it was before the failing transaction.
 *
 * The lock is the database's own write lock. On SQLite, BEGIN IMMEDIATE takes the RESERVED
 * lock at once (https://www.sqlite.org/lang_transaction.html): at most one connection
 * holds it, and the operating system releases it when its holder's file is closed, which
 * includes a holder killed with SIGKILL. A crash mid-transaction leaves a hot journal (or
 * uncommitted WAL frames) that SQLite rolls back on the next read
 * (https://www.sqlite.org/lockingv3.html#rollback, https://www.sqlite.org/wal.html). There
 * is no lock table and no lock file, so there is nothing stale to clean up.
 *
 * Each attempt, on a new connection:
 *
 *   1. Read the committed history without any lock and plan against it. If nothing is
 *      pending (and validation passes) return: an up-to-date database costs one read
 *      transaction and never takes the write lock, so a restart of 20 workers neither
 *      serialises them nor blocks the application's writers. A worker that lost the race
 *      also leaves here, as soon as the winner's commit is visible, without queueing for
 *      the lock it no longer needs.
 *   2. BEGIN IMMEDIATE. Never a deferred transaction that upgrades to a write: in WAL mode
 *      such an upgrade fails at once with SQLITE_BUSY_SNAPSHOT whatever the busy timeout,
 *      and in rollback mode two upgrading readers deadlock.
 *   3. Under the lock, read the history again and plan again. The read in step 1 is only a
 *      hint: another worker may have committed between it and the lock. Deciding from the
 *      stale read is the check-then-act race that applies a migration twice.
 *   4. Create the history table if absent, run the pending scripts, insert their history
 *      rows, check the integrity rules not enforced while they ran (foreign keys: see
 *      SqliteSession), commit: effects and history rows land in one
 *      transaction, so no reader can ever see an effect without its row or a row without
 *      its effect. In PER_MIGRATION mode each transaction holds one migration and the loop
 *      goes back to step 1.
 *
 * On a busy error at any step the connection is closed (rolling back whatever it did) and
 * the next attempt opens a new one after a backoff wait. Every wait is bounded by the lock
 * timeout and the attempt limit, measured with the injected clock.
 *
 * Why short waits. SQLite's own busy handler sleeps in growing steps up to 100 ms between
 * polls, so a waiter wakes up to 100 ms after the lock is freed (measured: median 22 ms,
 * p95 94 ms). The protocol instead fails fast (busy timeout 0 for BEGIN IMMEDIATE) and
 * polls on its own schedule: full-jitter exponential backoff from 1 ms, capped at 8 ms.
 * The jitter keeps a herd from polling in step; the cap bounds wake-up latency to about
 * 8 ms; and since a poll is one connection open and one failed lock call, 20 waiters cost
 * a few thousand cheap calls a second while a migration runs. A waiter that finds the work
 * done in step 1 returns without touching the lock, so the herd drains in parallel.
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
    private static final Logger LOG = System.getLogger("org.lockstep.protocol");
    private static final Duration FIRST_NOTICE = Duration.ofMillis(100);

    private final Database database;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final Settings settings;

    /**
     * What the protocol needs from the configuration.
     *
     * @param owner who this worker is in the history table
     * @param mode how pending migrations are grouped into transactions
     * @param validate whether validation problems stop the run
     * @param outOfOrder whether a pending version below the highest applied may be applied
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
            Duration lockTimeout,
            int maxLockAttempts,
            MigrationVersion target,
            MigrationListener listener) {

        /** Settings with no target and no listener. */
        public Settings(String owner, TransactionMode mode, boolean validate, boolean outOfOrder,
                Duration lockTimeout, int maxLockAttempts) {
            this(owner, mode, validate, outOfOrder, lockTimeout, maxLockAttempts, null, MigrationListener.NONE);
        }
    }

    /** What a run does once it holds the lock. */
    private enum Action {
        MIGRATE, DRY_RUN, BASELINE
    }

    /**
     * Creates the protocol.
     *
     * @param database where sessions come from
     * @param clock measures waits and stamps history rows
     * @param sleeper waits between attempts
     * @param backoff the wait schedule
     * @param settings the settings
     */
    public MigrationProtocol(Database database, Clock clock, Sleeper sleeper, Backoff backoff, Settings settings) {
        this.database = database;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
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
     * @throws LockTimeoutException if the lock was not taken within the bounds
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     * @throws DatabaseException on any other database error
     */
    public MigrateResult migrate(List<MigrationScript> scripts, RandomGenerator random) {
        Run run = new Run(random, Action.MIGRATE, scripts, null);
        while (true) {
            Optional<MigrateResult> done = run.attempt();
            if (done.isPresent()) {
                return done.get();
            }
        }
    }

    /**
     * Works out what {@link #migrate} would apply, taking the lock to read the history as
     * the migrating worker would, and changes nothing.
     *
     * @param scripts every script, in version order
     * @param random the jitter source for the backoff
     * @return the migrations that would be applied, in order
     */
    public List<PendingMigration> dryRun(List<MigrationScript> scripts, RandomGenerator random) {
        Run run = new Run(random, Action.DRY_RUN, scripts, null);
        while (true) {
            if (run.attempt().isPresent()) {
                return run.planned;
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
        Run run = new Run(random, Action.BASELINE, scripts, version);
        while (true) {
            Optional<MigrateResult> done = run.attempt();
            if (done.isPresent()) {
                return done.get();
            }
        }
    }

    /**
     * Reads the committed history once, without the write lock, retrying on busy errors
     * within the lock timeout.
     *
     * @param random the jitter source for the backoff
     * @return the history
     */
    public HistorySnapshot readHistory(RandomGenerator random) {
        Run run = new Run(random, Action.DRY_RUN, List.of(), null);
        while (true) {
            try (Session session = database.open()) {
                return session.readHistory();
            } catch (SQLException e) {
                run.handle(e, "reading the history table");
            }
        }
    }

    /** The state of one call across its attempts. */
    private final class Run {
        private final RandomGenerator random;
        private final Action action;
        private final List<MigrationScript> scripts;
        private final MigrationVersion baselineVersion;
        private final long startMillis = clock.millis();
        private final List<AppliedMigration> appliedHere = new ArrayList<>();
        private List<PendingMigration> planned = List.of();
        private Set<MigrationVersion> pendingAtStart;
        private int attempts;
        private int failures;
        private long waitStartMillis = -1;
        private long waitEndMillis = -1;
        private Duration nextNotice = FIRST_NOTICE;
        private int notices;

        Run(RandomGenerator random, Action action, List<MigrationScript> scripts, MigrationVersion baselineVersion) {
            this.random = random;
            this.action = action;
            this.scripts = scripts;
            this.baselineVersion = baselineVersion;
        }

        /** One attempt on a new connection; empty means "try again". */
        Optional<MigrateResult> attempt() {
            try (Session session = database.open()) {
                HistorySnapshot history = session.readHistory();
                Plan plan = plan(history);
                if (pendingAtStart == null) {
                    pendingAtStart = versionsOf(inScope(plan));
                }
                if (action == Action.BASELINE) {
                    baselineTargets(history);
                } else if (inScope(plan).isEmpty()) {
                    return Optional.of(result(plan));
                }
                attempts++;
                session.beginImmediate();
                stopWaiting();
                HistorySnapshot lockedHistory = session.readHistory();
                Plan locked = plan(lockedHistory);
                List<MigrationScript> pending = inScope(locked);
                if (action == Action.BASELINE) {
                    return Optional.of(recordBaseline(session, lockedHistory));
                }
                if (pending.isEmpty()) {
                    return Optional.of(result(locked));
                }
                if (action == Action.DRY_RUN) {
                    planned = pending.stream().map(s -> new PendingMigration(s.version(), s.description(),
                            s.fileName(), s.statements().size())).toList();
                    return Optional.of(result(locked));
                }
                List<MigrationScript> batch = settings.mode() == TransactionMode.ALL_PENDING
                        ? pending
                        : pending.subList(0, 1);
                List<AppliedMigration> rows = apply(session, locked, batch);
                session.commit();
                for (AppliedMigration row : rows) {
                    LOG.log(Level.INFO, "Applied migration [{0}] [{1}] from [{2}] in [{3} ms]",
                            row.version(), row.description(), row.script(), row.executionTime().toMillis());
                }
                appliedHere.addAll(rows);
                return Optional.empty();
            } catch (SQLException e) {
                handle(e, "migrating");
                return Optional.empty();
            }
        }

        private Plan plan(HistorySnapshot history) {
            Plan plan = Plan.of(scripts, history, settings.outOfOrder());
            if (settings.validate() && !plan.problems().isEmpty()) {
                throw new ValidationFailedException(plan.problems());
            }
            return plan;
        }

        private List<MigrationScript> inScope(Plan plan) {
            if (settings.target() == null) {
                return plan.pending();
            }
            return plan.pending().stream().filter(s -> s.version().compareTo(settings.target()) <= 0).toList();
        }

        private List<MigrationScript> baselineTargets(HistorySnapshot history) {
            String where = "Baseline of [" + database.describe() + "] at version [" + baselineVersion + "] refused: ";
            if (history.tableExists()) {
                throw new DatabaseException(DatabaseException.Reason.BASELINE_REFUSED, where + "history table"
                        + " already exists with [" + history.rows().size() + "] rows; a history is never rewritten",
                        null);
            }
            if (!history.hasOtherTables()) {
                throw new DatabaseException(DatabaseException.Reason.BASELINE_REFUSED, where + "the database has"
                        + " no tables to adopt; run migrate instead", null);
            }
            List<MigrationScript> targets = scripts.stream()
                    .filter(s -> s.version().compareTo(baselineVersion) <= 0).toList();
            if (targets.isEmpty()) {
                throw new DatabaseException(DatabaseException.Reason.BASELINE_REFUSED, where + "no script has a"
                        + " version at or below it", null);
            }
            return targets;
        }

        private MigrateResult recordBaseline(Session session, HistorySnapshot lockedHistory) throws SQLException {
            List<MigrationScript> targets = baselineTargets(lockedHistory);
            session.createHistoryTable();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            List<AppliedMigration> rows = new ArrayList<>();
            for (MigrationScript script : targets) {
                HistoryRow row = new HistoryRow(script.version(), script.description(), script.fileName(),
                        script.checksum(), now, settings.owner(), 0);
                session.insertHistory(row);
                rows.add(row.toApplied());
            }
            session.commit();
            LOG.log(Level.INFO, "Baselined [{0}] at version [{1}]: [{2}] migrations recorded as applied",
                    database.describe(), baselineVersion, rows.size());
            Optional<MigrationVersion> current = rows.stream().map(AppliedMigration::version)
                    .max(Comparator.naturalOrder());
            return new MigrateResult(rows, List.of(), current, lockWait(), attempts);
        }

        private List<AppliedMigration> apply(Session session, Plan plan, List<MigrationScript> batch)
                throws SQLException {
            if (plan.applied().isEmpty()) {
                session.createHistoryTable();
            }
            MigrationListener listener = settings.listener();
            List<AppliedMigration> rows = new ArrayList<>(batch.size());
            for (MigrationScript script : batch) {
                Instant started = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                int total = script.statements().size();
                tell(() -> listener.migrationStarted(script.version(), script.fileName(), total));
                int done = 0;
                for (SqlStatement statement : script.statements()) {
                    try {
                        session.execute(statement);
                    } catch (SQLException e) {
                        if (database.isBusy(e) || database.isDatabaseFault(e)) {
                            throw e;
                        }
                        throw new MigrationFailedException(script.version(), script.fileName(), statement.line(),
                                statement.excerpt(), e);
                    }
                    int number = ++done;
                    Duration elapsed = Duration.ofMillis(Math.max(0, clock.millis() - started.toEpochMilli()));
                    tell(() -> listener.statementCompleted(script.version(), number, total, elapsed));
                }
                long millis = Math.max(0, clock.millis() - started.toEpochMilli());
                HistoryRow row = new HistoryRow(script.version(), script.description(), script.fileName(),
                        script.checksum(), started, settings.owner(), millis);
                session.insertHistory(row);
                rows.add(row.toApplied());
            }
            // Once per transaction, before commit: a check per script would cost a scan of
            // every child table per migration, most of a deploy's overhead.
            List<String> violations = session.integrityViolations();
            if (!violations.isEmpty()) {
                MigrationScript last = batch.get(batch.size() - 1);
                String problem = (batch.size() == 1 ? "it left " : "the deploy of "
                        + batch.stream().map(MigrationScript::fileName).toList() + " left ")
                        + String.join("; ", violations);
                throw new MigrationFailedException(last.version(), last.fileName(), problem,
                        new SQLException(problem, "23000"));
            }
            return rows;
        }

        /** Waits before the next attempt if the error is a busy one; throws otherwise. */
        void handle(SQLException error, String doing) {
            if (!database.isBusy(error)) {
                throw database.translate(error, doing);
            }
            failures++;
            long now = clock.millis();
            if (waitStartMillis < 0) {
                waitStartMillis = now;
            }
            Duration waited = Duration.ofMillis(now - startMillis);
            if (waited.compareTo(settings.lockTimeout()) >= 0 || attempts >= settings.maxLockAttempts()) {
                throw new LockTimeoutException(database.describe(), waited, attempts, error);
            }
            if (waited.compareTo(nextNotice) >= 0) {
                notices++;
                nextNotice = nextNotice.multipliedBy(2);
                Level level = notices <= 3 ? Level.DEBUG : notices <= 7 ? Level.INFO : Level.WARNING;
                LOG.log(level, "Waiting for the migration lock on [{0}]: [{1} ms] over [{2}] attempts;"
                        + " another connection holds the write lock", database.describe(), waited.toMillis(), attempts);
            }
            int failed = attempts;
            tell(() -> settings.listener().lockBusy(waited, failed));
            Duration remaining = settings.lockTimeout().minus(waited);
            Duration delay = backoff.delay(failures, random);
            try {
                sleeper.sleep(delay.compareTo(remaining) < 0 ? delay : remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationInterruptedException(database.describe(),
                        Duration.ofMillis(clock.millis() - startMillis), e);
            }
        }

        private void stopWaiting() {
            if (waitStartMillis >= 0 && waitEndMillis < 0) {
                waitEndMillis = clock.millis();
            }
        }

        private Duration lockWait() {
            stopWaiting();
            return waitStartMillis < 0 ? Duration.ZERO : Duration.ofMillis(waitEndMillis - waitStartMillis);
        }

        private MigrateResult result(Plan plan) {
            Duration lockWait = lockWait();
            Set<MigrationVersion> mine = new HashSet<>();
            for (AppliedMigration applied : appliedHere) {
                mine.add(applied.version());
            }
            List<AppliedMigration> byOthers = new ArrayList<>();
            for (MigrationVersion version : pendingAtStart) {
                HistoryRow row = plan.applied().get(version);
                if (row != null && !mine.contains(version)) {
                    byOthers.add(row.toApplied());
                }
            }
            byOthers.sort(Comparator.comparing(AppliedMigration::version));
            if (!appliedHere.isEmpty() || !byOthers.isEmpty()) {
                LOG.log(Level.INFO, "Migrations done on [{0}]: [{1}] applied here, [{2}] applied by others,"
                        + " lock wait [{3} ms] over [{4}] attempts", database.describe(), appliedHere.size(),
                        byOthers.size(), lockWait.toMillis(), attempts);
            }
            return new MigrateResult(appliedHere, byOthers, plan.currentVersion(), lockWait, attempts);
        }
    }

    // A listener's failure must not fail a migration that is otherwise fine.
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A MigrationListener threw; ignored", e);
        }
    }

    private static Set<MigrationVersion> versionsOf(List<MigrationScript> scripts) {
        Set<MigrationVersion> versions = new HashSet<>();
        for (MigrationScript script : scripts) {
            versions.add(script.version());
        }
        return versions;
    }
}

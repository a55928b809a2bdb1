package org.lockstep.internal.sim;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.TransactionMode;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.ForwardingDatabase;
import org.lockstep.internal.protocol.MigrationProtocol;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.protocol.Sleeper;
import org.lockstep.internal.protocol.Turns;
import org.lockstep.internal.script.MigrationScript;

/**
 * Every interleaving of a small scope, instead of random ones: a stateless model checker that
 * runs the real {@link MigrationProtocol} against the {@link SimDatabase}, one worker at a time,
 * and enumerates the schedules depth first, replaying a prefix of choices and extending it.
 * Each complete schedule is checked with the properties of the random runs: atomicity after
 * every step ({@code Simulation.checkAtomic}), and at the end exactly once and consistent
 * reports ({@link Checks}), or, with a failing script, every survivor failing and the state
 * before the failing transaction. A schedule that hangs (no worker can move) or runs past
 * {@value #MAX_STEPS} steps is a violation too.
 *
 * <p><b>What a step is.</b> The workers are interleaved at their <em>visible</em> database
 * calls only: a read of the committed history (outside the lock), a read of the change token,
 * a lock try, a commit, and closing a session that holds the lock (a rollback). Everything
 * else a worker does (opening a session, reads under its own lock, running statements and
 * inserting history rows into its own open transaction, the integrity check, reading its clock,
 * sleeping) touches only that worker's own state, so it commutes with every step of every
 * other worker and runs, without a scheduling point, as part of the step before it. This is
 * the first reduction: invisible operations need no interleaving of their own.
 *
 * <p><b>Partial-order reduction.</b> Two steps of different workers are independent when
 * executing them in either order gives the same state and neither disables the other; the
 * explorer then tries only one of the orders, with sleep sets (Godefroid, "Partial-Order
 * Methods for the Verification of Concurrent Systems", LNCS 1032, ch. 5): after exploring step
 * {@code t} from a state, {@code t} is put to sleep in the states reached by the sibling steps
 * explored after it, and stays asleep while only steps independent of it run, because every
 * schedule it could start there is a reordering of one already explored. A path whose enabled
 * steps are all asleep is abandoned (counted as pruned). Sleep sets explore at least one
 * schedule of every Mazurkiewicz trace and, on this acyclic space, exactly one. Independent
 * pairs here:
 *
 * <ul>
 *   <li>two reads (history outside the lock, change token): they change nothing;
 *   <li>a read and a lock try or a rollback, on PostgreSQL's shape: the lock is not visible to
 *       a read there. On SQLite's shape it is (a reader may fail busy while the lock is held),
 *       so the pair is dependent;
 *   <li>the end of a worker (the point after its call returns, where it may still be killed)
 *       and any step of another worker.
 * </ul>
 *
 * A commit is dependent on every read, lock try and commit; a crash on everything.
 *
 * <p><b>Time and waiting.</b> Each worker has its own clock that advances 0.1 ms per step and
 * by what it sleeps, and jumps forward to the last commit's time when it reads what that
 * commit published (a Lamport clock, as processes on different hosts see time): so a clock read
 * is a step of its own worker only, and commutes. A waiter's backoff jitter is 0. A worker
 * whose lock try or read failed busy cannot move until the lock changes hands (a commit, a
 * rollback or a crash of the holder): the polls it would make meanwhile see the same holder
 * and the same committed state, and change only its own counters and clock, so they are
 * stutter steps and are left out. This bounds every schedule; without it a poller could spin
 * forever while the holder never runs. The lock timeout (60 s) is far beyond every schedule.
 *
 * <p><b>Faults.</b> On SQLite's shape a read outside the lock while another worker holds it
 * may fail busy (a reader while the holder commits, in rollback-journal mode), and a
 * transaction's first commit may fail busy and stay open (a reader holding its shared lock):
 * at any such point, up to the scope's budget of busy errors per schedule (1 by default; the
 * count of schedules grows steeply with it).
 * With crashes on, worker {@code w0} may be killed before any of its visible steps, or after
 * its call returns, at most once per schedule; it then restarts as {@code w0#1}, as a restarted
 * process would. The workers are identical, so killing {@code w0} stands for killing any one.
 *
 * <p><b>Not covered here</b> (the random runs cover them): more than one crash or busy error
 * per schedule, outside lock holders, lock timeouts and the attempt limit (no schedule comes
 * near the deadline), validation faults, and threads of one process taking turns
 * ({@code Turns.NONE}).
 */
final class Exhaustive {
    static final int MAX_STEPS = 1_000;
    private static final long STEP_NANOS = 100_000;
    private static final String CRASHABLE = "w0";
    // Worker threads are reused across schedules: a schedule is a few dozen steps, and
    // starting a thread costs about as much as one.
    private static final java.util.concurrent.ExecutorService THREADS =
            java.util.concurrent.Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "exhaustive-worker");
                thread.setDaemon(true);
                return thread;
            });

    /** What a visible step does to the shared state. */
    enum Kind {
        READ,
        TOKEN,
        LOCK,
        COMMIT,
        RELEASE,
        END
    }

    /** How a step goes: as the database says, failing busy, or killed before it. */
    enum Move {
        RUN,
        BUSY,
        CRASH
    }

    /**
     * One small case to explore completely.
     *
     * @param workers how many workers start at once
     * @param scripts how many scripts exist
     * @param applied how many of them an earlier deploy applied
     * @param mode the transaction mode
     * @param shape the lock shape
     * @param failing the index of the script whose last statement fails, or -1
     * @param crash whether {@code w0} may be killed once, at any of its steps
     * @param busyFaults how many busy errors (a read or a commit, SQLite's shape only) one
     *     schedule may inject
     */
    record Scope(
            int workers,
            int scripts,
            int applied,
            TransactionMode mode,
            Scenario.LockShape shape,
            int failing,
            boolean crash,
            int busyFaults) {

        static Scope of(int workers, int scripts, TransactionMode mode, Scenario.LockShape shape) {
            return new Scope(workers, scripts, 0, mode, shape, -1, false, shape == Scenario.LockShape.SQLITE ? 1 : 0);
        }

        Scope withCrash() {
            return new Scope(workers, scripts, applied, mode, shape, failing, true, busyFaults);
        }

        Scope withFailingScript(int index) {
            return new Scope(workers, scripts, applied, mode, shape, index, crash, busyFaults);
        }

        Scope withApplied(int count) {
            return new Scope(workers, scripts, count, mode, shape, failing, crash, busyFaults);
        }

        @Override
        public String toString() {
            return workers + " workers x " + scripts + " migrations" + (applied > 0 ? " (" + applied + " applied)" : "")
                    + ", " + shape + ", " + mode + (crash ? ", a crash of one worker" : "")
                    + (failing >= 0 ? ", script " + failing + " fails" : "")
                    + (busyFaults > 0 ? ", " + busyFaults + " busy" : "");
        }
    }

    /** One step of a schedule: which worker moves, and how. */
    record Step(String worker, Move move) {
        @Override
        public String toString() {
            return worker + (move == Move.RUN ? "" : " " + move);
        }
    }

    /** A schedule that breaks a property, with what broke and its trace. */
    record Counterexample(List<Step> schedule, String violation, List<String> trace) {
        String describe() {
            return "schedule of " + schedule.size() + " steps " + schedule + "\n  violation: " + violation
                    + "\n  trace:\n    " + String.join("\n    ", trace);
        }
    }

    /**
     * What exploring a scope found.
     *
     * @param scope the scope
     * @param schedules complete schedules run to the end and checked (one per trace)
     * @param pruned paths abandoned because every step left was asleep
     * @param steps visible steps executed, replays included
     * @param millis how long it took
     * @param shortest the shortest schedule that breaks a property, or null
     * @param violations how many schedules break a property
     * @param outcomes the distinct ends of the schedules that passed: the committed history and
     *     effects, and what each worker incarnation returned or threw
     */
    record Report(
            Scope scope,
            long schedules,
            long pruned,
            long steps,
            long millis,
            Counterexample shortest,
            long violations,
            Set<String> outcomes) {
        String line() {
            return String.format(
                    "%-70s %8d schedules %7d pruned %9d steps %7d ms%s",
                    scope, schedules, pruned, steps, millis, shortest == null ? "" : "  VIOLATED (" + violations + ")");
        }
    }

    private Exhaustive() {}

    /** Explores every schedule of the scope, up to partial-order reduction, with the real protocol. */
    static Report explore(Scope scope) {
        return explore(scope, Simulation.Variant.REAL);
    }

    /** Explores every schedule of the scope with the protocol seeing the database through {@code variant}. */
    static Report explore(Scope scope, Simulation.Variant variant) {
        return explore(scope, variant, true);
    }

    /**
     * Explores every schedule of the scope; without {@code reduce}, every interleaving of the
     * visible steps, with no sleep sets (to check the reduction against).
     */
    static Report explore(Scope scope, Simulation.Variant variant, boolean reduce) {
        long start = System.nanoTime();
        Set<String> outcomes = new java.util.TreeSet<>();
        List<Node> stack = new ArrayList<>();
        long schedules = 0;
        long pruned = 0;
        long steps = 0;
        long violations = 0;
        List<Step> shortest = null;
        while (true) {
            Execution execution = new Execution(scope, variant, stack, Simulation.trace(false));
            execution.reduce = reduce;
            Ending ending = execution.run();
            steps += execution.depth;
            if (ending == Ending.PASSED) {
                outcomes.add(execution.outcome);
            }
            if (ending == Ending.PRUNED) {
                pruned++;
            } else {
                schedules++;
                if (ending == Ending.VIOLATED) {
                    violations++;
                    List<Step> schedule = execution.schedule();
                    if (shortest == null || schedule.size() < shortest.size()) {
                        shortest = schedule;
                    }
                }
            }
            if (!backtrack(stack)) {
                break;
            }
        }
        Counterexample counterexample = shortest == null ? null : replay(scope, variant, shortest);
        return new Report(
                scope,
                schedules,
                pruned,
                steps,
                (System.nanoTime() - start) / 1_000_000,
                counterexample,
                violations,
                outcomes);
    }

    /** Runs one schedule again, keeping its trace. */
    static Counterexample replay(Scope scope, Simulation.Variant variant, List<Step> schedule) {
        List<Node> stack = new ArrayList<>();
        for (Step step : schedule) {
            Node node = new Node(List.of(), Map.of(), Map.of());
            node.chosen = step;
            stack.add(node);
        }
        List<String> trace = new ArrayList<>();
        Execution execution = new Execution(scope, variant, stack, trace);
        execution.replayOnly = true;
        Ending ending = execution.run();
        return new Counterexample(
                schedule,
                ending == Ending.VIOLATED ? execution.violation : "(passes on replay: " + ending + ")",
                trace);
    }

    private static boolean backtrack(List<Node> stack) {
        while (!stack.isEmpty()) {
            Node top = stack.get(stack.size() - 1);
            top.done.add(top.chosen);
            top.chosen = null;
            for (Step step : top.enabled) {
                if (!top.done.contains(step) && !top.sleep.containsKey(step)) {
                    top.chosen = step;
                    return true;
                }
            }
            stack.remove(stack.size() - 1);
        }
        return false;
    }

    /** Whether two steps of different workers commute (see the class comment). */
    static boolean independent(Step a, Kind ka, Step b, Kind kb, Scenario.LockShape shape) {
        if (a.worker().equals(b.worker()) || a.move() == Move.CRASH || b.move() == Move.CRASH) {
            return false;
        }
        if (ka == Kind.END || kb == Kind.END) {
            return true;
        }
        boolean aReads = ka == Kind.READ || ka == Kind.TOKEN;
        boolean bReads = kb == Kind.READ || kb == Kind.TOKEN;
        if (aReads && bReads) {
            return true;
        }
        if (aReads || bReads) {
            Kind read = aReads ? ka : kb;
            Kind other = aReads ? kb : ka;
            if (other == Kind.COMMIT) {
                return false;
            }
            // A lock try or a rollback changes only who holds the lock: a change token never
            // shows it, a history read shows it only as SQLite's busy reader.
            return read == Kind.TOKEN || shape == Scenario.LockShape.POSTGRESQL;
        }
        return false;
    }

    private enum Ending {
        PASSED,
        VIOLATED,
        PRUNED
    }

    /** A state on the current path: its enabled steps, the ones asleep, the ones explored. */
    private static final class Node {
        final List<Step> enabled;
        final Map<Step, Kind> kinds;
        final Map<Step, Kind> sleep;
        final Set<Step> done = new HashSet<>();
        Step chosen;

        Node(List<Step> enabled, Map<Step, Kind> kinds, Map<Step, Kind> sleep) {
            this.enabled = enabled;
            this.kinds = kinds;
            this.sleep = sleep;
        }
    }

    /** One run of the scope along the stack's choices, extended by the first step awake. */
    private static final class Execution {
        private final Scope scope;
        private final Simulation.Variant variant;
        private final List<Node> stack;
        private final List<String> trace;
        private final Semaphore back = new Semaphore(0);
        private final List<Runner> live = new ArrayList<>();
        private final List<Scheduler.Worker> finished = new ArrayList<>();
        private final List<Step> taken = new ArrayList<>();
        private final Scheduler directs;
        private final SimDatabase database;
        private final SimDatabase.State initial;
        private final List<MigrationScript> scripts;
        private final List<MigrationScript> pending;
        private final Scenario scenario;
        private final MigrationConfig config;
        private Runner holder;
        private long epoch;
        private long lastCommitNanos;
        private boolean crashLeft;
        private int busyLeft;
        private boolean replayOnly;
        private String violation;
        private boolean reduce = true;
        private String outcome;
        int depth;

        Execution(Scope scope, Simulation.Variant variant, List<Node> stack, List<String> trace) {
            this.scope = scope;
            this.variant = variant;
            this.stack = stack;
            this.trace = trace;
            this.crashLeft = scope.crash();
            this.busyLeft = scope.busyFaults();
            this.scripts = Simulation.scripts(scope.scripts(), scope.failing());
            this.initial = Simulation.after(SimDatabase.State.EMPTY, scripts.subList(0, scope.applied()));
            this.pending = scripts.subList(scope.applied(), scripts.size());
            this.directs = new Scheduler(Tape.replay(List.of()), trace, 0, 0, false, 1);
            this.database = new SimDatabase(initial, 0, 0, Tape.replay(List.of()), trace);
            this.scenario = scenarioOf(scope);
            this.config = MigrationConfig.builder()
                    .url("jdbc:sqlite::memory:")
                    .location(Path.of("."))
                    .transactionMode(scope.mode())
                    .lockTimeout(Duration.ofSeconds(60))
                    .build();
        }

        List<Step> schedule() {
            return List.copyOf(taken);
        }

        Ending run() {
            try {
                for (int w = 0; w < scope.workers(); w++) {
                    spawn("w" + w);
                }
                while (true) {
                    Simulation.checkAtomic(scenario, initial, pending, database.committed(), trace);
                    if (live.isEmpty()) {
                        checkEnd();
                        outcome = describeEnd();
                        return Ending.PASSED;
                    }
                    Map<Step, Kind> enabled = enabled();
                    if (enabled.isEmpty()) {
                        throw new PropertyViolation("hang: every live worker waits for a lock nobody will release: "
                                + live.stream()
                                        .map(r -> r.name + " at " + r.pending)
                                        .toList());
                    }
                    if (depth >= MAX_STEPS) {
                        throw new PropertyViolation("no progress after " + MAX_STEPS + " steps (livelock)");
                    }
                    Step step;
                    if (depth < stack.size()) {
                        step = stack.get(depth).chosen;
                        if (!enabled.containsKey(step)) {
                            if (replayOnly) {
                                throw new PropertyViolation("schedule does not replay: " + step + " not enabled");
                            }
                            throw new IllegalStateException("nondeterministic replay at step " + depth + ": " + step
                                    + " not in " + enabled.keySet());
                        }
                    } else {
                        Map<Step, Kind> sleep = depth == 0 ? Map.of() : sleepAfter(stack.get(depth - 1));
                        Node node = new Node(List.copyOf(enabled.keySet()), enabled, sleep);
                        step = null;
                        for (Step candidate : node.enabled) {
                            if (!sleep.containsKey(candidate)) {
                                step = candidate;
                                break;
                            }
                        }
                        if (step == null) {
                            return Ending.PRUNED;
                        }
                        node.chosen = step;
                        stack.add(node);
                    }
                    perform(step, enabled.get(step));
                }
            } catch (PropertyViolation e) {
                violation = e.getMessage();
                trace.add("!! " + e.getMessage());
                return Ending.VIOLATED;
            } finally {
                abortAll();
            }
        }

        private Map<Step, Kind> sleepAfter(Node parent) {
            Map<Step, Kind> sleep = new LinkedHashMap<>();
            if (!reduce) {
                return sleep;
            }
            Kind chosenKind = parent.kinds.get(parent.chosen);
            Map<Step, Kind> candidates = new LinkedHashMap<>(parent.sleep);
            for (Step done : parent.done) {
                candidates.put(done, parent.kinds.get(done));
            }
            candidates.forEach((step, kind) -> {
                if (independent(step, kind, parent.chosen, chosenKind, scope.shape())) {
                    sleep.put(step, kind);
                }
            });
            return sleep;
        }

        private Map<Step, Kind> enabled() {
            Map<Step, Kind> enabled = new LinkedHashMap<>();
            for (Runner runner : live) {
                if (runner.blockedAtEpoch >= 0 && runner.blockedAtEpoch == epoch) {
                    continue; // waits for the lock to change hands: its polls would be stutter
                }
                enabled.put(new Step(runner.name, Move.RUN), runner.pending);
                if (busyLeft > 0
                        && runner.mayBeBusy
                        && (runner.pending == Kind.COMMIT || (holder != null && holder != runner))) {
                    enabled.put(new Step(runner.name, Move.BUSY), runner.pending);
                }
                if (crashLeft && runner.name.equals(CRASHABLE)) {
                    enabled.put(new Step(runner.name, Move.CRASH), runner.pending);
                }
            }
            return enabled;
        }

        private void perform(Step step, Kind kind) {
            depth++;
            taken.add(step);
            Runner runner = live.stream()
                    .filter(r -> r.name.equals(step.worker()))
                    .findFirst()
                    .orElseThrow();
            trace.add("#" + depth + " " + step + " " + kind);
            if (step.move() == Move.CRASH) {
                crashLeft = false;
            }
            if (step.move() == Move.BUSY) {
                busyLeft--;
            }
            runner.move = step.move();
            runner.go.release();
            back.acquireUninterruptibly();
            if (runner.done) {
                live.remove(runner);
                finished.add(runner.sim);
                if (runner.sim.dead) {
                    trace.add(runner.name + ": RESTART");
                    spawn(runner.name + "#1");
                }
            }
        }

        private void checkEnd() {
            Simulation.Outcome outcome = new Simulation.Outcome(
                    scenario,
                    finished,
                    initial,
                    database.committed(),
                    scripts,
                    pending,
                    trace,
                    depth,
                    database.failingRuns());
            if (scope.failing() < 0) {
                Checks.finalStateIsEveryScriptOnce(outcome);
                Checks.everySurvivorSucceededConsistently(outcome);
            } else {
                Checks.everySurvivorFailedWith(outcome, MigrationFailedException.class);
                Checks.stateIs(
                        outcome,
                        outcome.after(
                                scope.mode() == TransactionMode.ALL_PENDING ? 0 : scope.failing() - scope.applied()),
                        "after a failing deploy");
            }
        }

        private String describeEnd() {
            List<String> ends = new ArrayList<>();
            for (Scheduler.Worker worker : finished) {
                String end;
                if (worker.dead) {
                    end = "killed";
                } else if (worker.failure != null) {
                    end = worker.failure.getClass().getSimpleName();
                } else {
                    org.lockstep.MigrateResult result = (org.lockstep.MigrateResult) worker.result;
                    end = "applied " + versionsOf(result.applied()) + ", by others "
                            + versionsOf(result.appliedByOthers());
                }
                ends.add(worker.name + ": " + end);
            }
            ends.sort(null);
            List<String> history = database.committed().history().stream()
                    .map(r -> r.version() + " by " + r.appliedBy())
                    .sorted()
                    .toList();
            return "history " + history + ", effects " + database.committed().effects() + ", " + ends;
        }

        private static List<String> versionsOf(List<org.lockstep.AppliedMigration> migrations) {
            return migrations.stream().map(m -> m.version().toString()).toList();
        }

        private void spawn(String name) {
            Runner runner = new Runner(name);
            live.add(runner);
            THREADS.execute(runner::body);
            back.acquireUninterruptibly();
            if (runner.done) {
                live.remove(runner);
                finished.add(runner.sim);
            }
        }

        private void abortAll() {
            for (Runner runner : List.copyOf(live)) {
                runner.aborted = true;
                runner.go.release();
                back.acquireUninterruptibly();
            }
            live.clear();
        }

        /** One worker incarnation: a thread running the real protocol, parked at its next visible step. */
        private final class Runner {
            final String name;
            final Scheduler.Worker sim;
            final Semaphore go = new Semaphore(0);
            Kind pending;
            boolean mayBeBusy;
            Move move;
            long blockedAtEpoch = -1;
            long nanos;
            volatile boolean done;
            boolean aborted;

            Runner(String name) {
                this.name = name;
                this.sim = directs.direct(name);
            }

            private void body() {
                try {
                    MigrationProtocol protocol = new MigrationProtocol(
                            variant.apply(new VisibleSteps(this, database.forWorker(sim))),
                            clock(),
                            sleeper(),
                            Simulation.SIM_BACKOFF,
                            Turns.NONE,
                            MigrationProtocol.Settings.of(config, name));
                    try {
                        sim.result = protocol.migrate(scripts, ZERO_JITTER);
                    } catch (Crash crash) {
                        throw crash;
                    } catch (Throwable t) {
                        sim.failure = t;
                    }
                    if (crashLeft && name.equals(CRASHABLE)) {
                        yieldAt(Kind.END, false); // killed after its call returned, before it could report
                    }
                } catch (Crash crash) {
                    sim.dead = true;
                    sim.result = null;
                    sim.failure = null;
                }
                sim.finishedAtMillis = nanos / 1_000_000;
                done = true;
                back.release();
            }

            /** Parks before a visible step; returns whether the step fails busy. */
            boolean yieldAt(Kind kind, boolean busyPossible) {
                if (sim.dead) {
                    throw new Crash();
                }
                pending = kind;
                mayBeBusy = busyPossible;
                back.release();
                go.acquireUninterruptibly();
                if (aborted || move == Move.CRASH) {
                    sim.dead = true;
                    if (!aborted) {
                        sim.log("CRASH before " + kind);
                    }
                    throw new Crash();
                }
                blockedAtEpoch = -1;
                if (kind == Kind.READ || kind == Kind.TOKEN || kind == Kind.LOCK) {
                    nanos = Math.max(nanos, lastCommitNanos); // sees what the last commit published
                }
                nanos += STEP_NANOS;
                return move == Move.BUSY;
            }

            void blockUntilTheLockChangesHands() {
                blockedAtEpoch = epoch;
            }

            Clock clock() {
                return new Clock() {
                    @Override
                    public ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public long millis() {
                        nanos += STEP_NANOS;
                        if (sim.startedAtMillis < 0) {
                            sim.startedAtMillis = nanos / 1_000_000;
                        }
                        return nanos / 1_000_000;
                    }

                    @Override
                    public Instant instant() {
                        return Instant.ofEpochMilli(millis());
                    }
                };
            }

            Sleeper sleeper() {
                return duration -> {
                    if (sim.dead) {
                        throw new Crash();
                    }
                    nanos += Math.max(0, duration.toNanos());
                };
            }
        }

        /** The simulated database, with a scheduling point before each visible call. */
        private final class VisibleSteps extends ForwardingDatabase {
            private final Runner runner;

            VisibleSteps(Runner runner, Database delegate) {
                super(delegate);
                this.runner = runner;
            }

            @Override
            public Session open() throws SQLException {
                return new VisibleSession(runner, super.open());
            }
        }

        // The calls another worker can see are the scheduling points; every other call touches
        // only this worker's transaction and runs inside the step before it. Failure records are
        // written only under the lock, by a worker whose deploy was rolled back: that commit
        // leaves the history as it was, so a commit landing between a worker's history read and
        // its failure read ends like one landing before both, and the failure read is no step
        // of its own (under the lock it is read again).
        private final class VisibleSession extends ForwardingSession {
            private final Runner runner;
            private boolean holds;
            private boolean commitWasBusy;

            VisibleSession(Runner runner, Session delegate) {
                super(delegate);
                this.runner = runner;
            }

            private boolean sqlite() {
                return scope.shape() == Scenario.LockShape.SQLITE;
            }

            @Override
            public HistorySnapshot readHistory() throws SQLException {
                if (!holds) {
                    if (runner.yieldAt(Kind.READ, sqlite())) {
                        runner.sim.log("READ HISTORY -> BUSY");
                        runner.blockUntilTheLockChangesHands();
                        throw new SQLException("database is locked (simulated reader during commit)", "", 5);
                    }
                }
                return delegate.readHistory();
            }

            @Override
            public long changeToken() throws SQLException {
                runner.yieldAt(Kind.TOKEN, false);
                return delegate.changeToken();
            }

            // As the real sessions: SQLite's data_version tracks commits, PostgreSQL has no such token.
            @Override
            public java.util.OptionalLong tokenOfLastRead() {
                return sqlite() ? delegate.tokenOfLastRead() : java.util.OptionalLong.empty();
            }

            @Override
            public void lock(Duration statementLockWait) throws SQLException {
                runner.yieldAt(Kind.LOCK, false);
                try {
                    delegate.lock(statementLockWait);
                } catch (SQLException e) {
                    if (e.getErrorCode() == 5) {
                        runner.blockUntilTheLockChangesHands();
                    }
                    throw e;
                }
                holds = true;
                holder = runner;
                commitWasBusy = false;
            }

            @Override
            public void commit() throws SQLException {
                if (!holds) {
                    delegate.commit();
                    return;
                }
                if (runner.yieldAt(Kind.COMMIT, sqlite() && !commitWasBusy)) {
                    commitWasBusy = true;
                    runner.sim.log("COMMIT -> BUSY (a reader holds its shared lock; the transaction stays open)");
                    throw new SQLException("database is locked (simulated reader at commit)", "", 5);
                }
                delegate.commit();
                released();
                lastCommitNanos = Math.max(lastCommitNanos, runner.nanos);
            }

            @Override
            public void close() throws SQLException {
                try {
                    if (holds && !runner.sim.dead) {
                        runner.yieldAt(Kind.RELEASE, false);
                    }
                } finally {
                    delegate.close();
                    if (holds) {
                        released();
                    }
                }
            }

            private void released() {
                holds = false;
                holder = null;
                epoch++;
            }
        }
    }

    /** Builds the random runs' scenario of a scope, for the checks that read it. */
    private static Scenario scenarioOf(Scope scope) {
        Scenario scenario = new Scenario(
                scope.workers(),
                scope.scripts(),
                scope.applied(),
                scope.mode(),
                scope.failing(),
                Scenario.Fault.NONE,
                0,
                60_000,
                scope.crash() ? 1 : 0,
                0,
                true,
                scope.shape(),
                0,
                0,
                0,
                List.of(),
                false);
        return scenario;
    }

    /** The backoff's jitter: always the shortest wait (waits are abstracted, see the class comment). */
    private static final RandomGenerator ZERO_JITTER = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };
}

package org.lockstep.internal.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationVersion;
import org.lockstep.TransactionMode;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.protocol.Backoff;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.MigrationProtocol;
import org.lockstep.internal.protocol.Turns;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptText;
import org.lockstep.internal.sql.SqlStatement;

/**
 * Runs one {@link Scenario} to the end: K simulated workers, each running the real
 * {@link MigrationProtocol} against one {@link SimDatabase}, interleaved and crashed as the
 * tape decides. Checks atomicity after every step, and returns what every worker did.
 */
final class Simulation {
    // The real schedule, watching for commits every 1 ms rather than 0.25 ms: a watch is a
    // step of the simulation, and this keeps waits to a few steps without changing their kind.
    static final Backoff SIM_BACKOFF =
            new Backoff(Backoff.DEFAULT.base(), Backoff.DEFAULT.max(), java.time.Duration.ofMillis(1));

    /** Builds the database a worker sees; a broken-protocol variant wraps the real one. */
    interface Variant extends UnaryOperator<Database> {
        Variant REAL = database -> database;
    }

    /** What a finished case left behind. */
    record Outcome(
            Scenario scenario,
            List<Scheduler.Worker> workers,
            SimDatabase.State initial,
            SimDatabase.State committed,
            List<MigrationScript> scripts,
            List<MigrationScript> pending,
            List<String> trace,
            long steps,
            int failingRuns) {

        /** The state a sequential run reaches after applying the first {@code k} pending scripts. */
        SimDatabase.State after(int k) {
            return Simulation.after(initial, pending.subList(0, k));
        }
    }

    private Simulation() {}

    /** Returns where a run writes its schedule: a real list, or one that keeps nothing. */
    static List<String> trace(boolean keep) {
        return keep ? new ArrayList<>() : new Discard();
    }

    /**
     * What one deploy starts from: the database an earlier deploy left, and the migrations the
     * workers have. What is pending follows, as a sequential run would find it.
     */
    record Deploy(SimDatabase.State initial, List<MigrationScript> visible) {
        List<MigrationScript> pending() {
            return pendingOf(initial, visible);
        }
    }

    /** The deploy a scenario describes. */
    static Deploy deploy(Scenario scenario) {
        List<MigrationScript> all = scripts(scenario.scripts(), scenario.failingScript());
        List<MigrationScript> earlier = new ArrayList<>(all.subList(0, scenario.appliedPrefix()));
        List<MigrationScript> repeatables = new ArrayList<>();
        for (int r = 0; r < scenario.repeatables(); r++) {
            int history = scenario.repeatableHistory().get(r);
            if (history != 0) {
                earlier.add(repeatable(r, history == 1 ? CURRENT_EDIT : 1));
            }
            repeatables.add(repeatable(r, CURRENT_EDIT));
        }
        SimDatabase.State applied = after(SimDatabase.State.EMPTY, earlier);
        SimDatabase.State initial = scenario.formatOne() && applied.historyExists()
                ? new SimDatabase.State(true, applied.history(), applied.effects(), applied.failures(), 1)
                : applied;
        List<MigrationScript> visible = plant(scenario, all);
        visible.addAll(repeatables);
        if (scenario.fault() == Scenario.Fault.MISSING_REPEATABLE) {
            visible.removeIf(script -> script.repeatable()
                    && initial.history().stream()
                            .anyMatch(row -> script.description().equals(row.description())));
        }
        return new Deploy(initial, visible);
    }

    static Outcome run(Scenario scenario, Tape tape, Variant variant, List<String> trace) {
        return run(scenario, deploy(scenario), tape, variant, trace);
    }

    static Outcome run(Scenario scenario, Deploy deploy, Tape tape, Variant variant, List<String> trace) {
        SimDatabase.State initial = deploy.initial();
        List<MigrationScript> visible = deploy.visible();
        List<MigrationScript> pending = deploy.pending();

        SimDatabase database =
                new SimDatabase(initial, scenario.readBusyPercent(), scenario.commitBusyPercent(), tape, trace);
        if (scenario.outsideHoldMillis() > 0) {
            database.holdOutsideUntil(scenario.outsideHoldMillis());
        }
        Scheduler scheduler =
                new Scheduler(tape, trace, scenario.maxCrashes(), scenario.crashPercent(), scenario.restart(), 150_000);
        TapeRandom random = new TapeRandom(tape);
        // The simulated database replaces the URL's: only the settings are read from it.
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite::memory:")
                .location(Path.of("."))
                .transactionMode(scenario.mode())
                .lockTimeout(Duration.ofMillis(scenario.lockTimeoutMillis()))
                .build();
        for (int w = 0; w < scenario.workers(); w++) {
            scheduler.spawn("w" + w, worker -> {
                String owner = worker.name + (worker.incarnation == 0 ? "" : "#" + worker.incarnation);
                MigrationProtocol protocol = new MigrationProtocol(
                        // PostgreSQL's shape with a history identity, SQLite's without: both ways
                        // of reading a deploy back (see "Termination" in MigrationProtocol).
                        variant.apply(database.forWorker(worker, scenario.shape() == Scenario.LockShape.POSTGRESQL)),
                        worker.clock(),
                        worker.sleeper(),
                        SIM_BACKOFF,
                        Turns.NONE,
                        MigrationProtocol.Settings.of(config, owner));
                return protocol.migrate(visible, random);
            });
        }
        List<Scheduler.Worker> finished = scheduler.run(
                () -> {
                    database.tick(scheduler.nowMillis());
                    checkAtomic(scenario, initial, pending, database.committed(), trace);
                },
                database::tick);
        return new Outcome(
                scenario,
                finished,
                initial,
                database.committed(),
                visible,
                pending,
                trace,
                scheduler.steps(),
                database.failingRuns());
    }

    /** The edit of the repeatable scripts a scenario's workers have. */
    static final int CURRENT_EDIT = 2;

    /** Scripts with versions 10, 20, ...; script i has 1 + i % 3 effect statements. */
    static List<MigrationScript> scripts(int count, int failing) {
        List<MigrationScript> scripts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            scripts.add(script(10 * (i + 1), 1 + i % 3, i == failing, ""));
        }
        return scripts;
    }

    static MigrationScript script(int version, int statements, boolean fails, String edit) {
        List<SqlStatement> list = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < statements; j++) {
            String sql = fails && j == statements - 1
                    ? "INSERT INTO no_such_table VALUES (1)"
                    : "INSERT INTO effects (name) VALUES ('v" + version + "." + j + edit + "')";
            list.add(new SqlStatement(sql, j + 1));
            text.append(sql).append(";\n");
        }
        String name = version + "_step.sql";
        return new MigrationScript(
                MigrationVersion.parse(Integer.toString(version)),
                "step",
                name,
                name,
                ScriptText.checksum(text.toString()),
                list);
    }

    /**
     * Repeatable script {@code R__r<index>.sql} as of an edit: one effect statement naming the
     * script and the edit, so every application of every edit leaves an effect of its own.
     */
    static MigrationScript repeatable(int index, int edit) {
        String sql = "INSERT INTO effects (name) VALUES ('r" + index + "@" + edit + "')";
        String name = "R__r" + index + ".sql";
        return new MigrationScript(
                null, "r" + index, name, name, ScriptText.checksum(sql + ";\n"), List.of(new SqlStatement(sql, 1)));
    }

    private static List<MigrationScript> plant(Scenario scenario, List<MigrationScript> all) {
        List<MigrationScript> visible = new ArrayList<>(all);
        int last = scenario.appliedPrefix() - 1;
        switch (scenario.fault()) {
            case EDITED_SCRIPT:
                MigrationScript edited = all.get(last);
                visible.set(last, script(10 * (last + 1), edited.statements().size(), false, " edited"));
                break;
            case MISSING_SCRIPT:
                visible.remove(last);
                break;
            case OUT_OF_ORDER_SCRIPT:
                visible.add(0, script(5, 1, false, ""));
                break;
            default:
                break;
        }
        return visible;
    }

    /**
     * What a sequential run applies to {@code initial}, in order: each versioned script whose
     * version the history lacks, then each repeatable script that is new or whose checksum is
     * not that of the latest row of its description, by description.
     */
    static List<MigrationScript> pendingOf(SimDatabase.State initial, List<MigrationScript> visible) {
        List<MigrationScript> pending = new ArrayList<>();
        List<MigrationScript> repeatables = new ArrayList<>();
        for (MigrationScript script : visible) {
            if (script.repeatable()) {
                String latest = null;
                for (HistoryRow row : initial.history()) {
                    if (row.repeatable() && row.description().equals(script.description())) {
                        latest = row.checksum();
                    }
                }
                if (!script.checksum().equals(latest)) {
                    repeatables.add(script);
                }
            } else if (initial.history().stream()
                    .noneMatch(r -> script.version().equals(r.version()))) {
                pending.add(script);
            }
        }
        repeatables.sort(java.util.Comparator.comparing(MigrationScript::description));
        pending.addAll(repeatables);
        return pending;
    }

    /**
     * The state after applying {@code scripts}, in order, to {@code from}: a history table is
     * created in the current format if there is none, and one of format 1 is upgraded with the
     * first repeatable script.
     */
    static SimDatabase.State after(SimDatabase.State from, List<MigrationScript> scripts) {
        List<HistoryRow> history = new ArrayList<>(from.history());
        List<String> effects = new ArrayList<>(from.effects());
        int format = from.format();
        for (MigrationScript script : scripts) {
            if (format == 0 || (format == 1 && script.repeatable())) {
                format = HistoryTable.FORMAT;
            }
            for (SqlStatement statement : script.statements()) {
                java.util.regex.Matcher m = SimDatabase.EFFECT.matcher(statement.sql());
                if (m.matches()) {
                    effects.add(m.group(1));
                }
            }
            history.add(new HistoryRow(
                    script.version(),
                    script.description(),
                    script.fileName(),
                    script.checksum(),
                    Instant.EPOCH,
                    "deploy-0",
                    0,
                    script.repeatable() ? HistoryRow.Type.REPEATABLE : HistoryRow.Type.SQL,
                    history.size() + 1));
        }
        return new SimDatabase.State(
                from.historyExists() || !scripts.isEmpty(), history, effects, from.failures(), format);
    }

    /**
     * Atomicity, checked after every step: the committed state (all any reader can see) is
     * the initial state plus the first n pending migrations, each with exactly its effects
     * and its history row, for an n a sequential run could stop at.
     */
    static void checkAtomic(
            Scenario scenario,
            SimDatabase.State initial,
            List<MigrationScript> pending,
            SimDatabase.State committed,
            List<String> trace) {
        int n = committed.history().size() - initial.history().size();
        String problem = null;
        if (n < 0 || n > pending.size()) {
            problem = "history has " + committed.history().size() + " rows";
        } else {
            SimDatabase.State expected = after(initial, pending.subList(0, n));
            List<String> committedKeys = Checks.keysInOrder(committed.history());
            List<String> expectedKeys = Checks.keysInOrder(expected.history());
            if (!committed.effects().equals(expected.effects())) {
                problem = "effects " + committed.effects() + " but history " + committedKeys + " implies "
                        + expected.effects();
            } else if (!committedKeys.equals(expectedKeys)) {
                problem = "history " + committedKeys + ", expected " + expectedKeys;
            } else if (committed.historyExists() != expected.historyExists()) {
                problem = "history table exists: " + committed.historyExists();
            } else if (committed.format() != expected.format()) {
                problem = "history table of format " + committed.format() + " with " + committedKeys
                        + "; the upgrade from format " + initial.format()
                        + " must commit with the first repeatable migration, and only then";
            } else if (scenario.mode() == TransactionMode.ALL_PENDING && n != 0 && n != pending.size()) {
                problem = "one-transaction deploy committed " + n + " of " + pending.size() + " migrations";
            }
        }
        if (problem != null) {
            trace.add("!! atomicity violated: " + problem);
            throw new PropertyViolation("atomicity: a reader can see a state no sequential run produces: " + problem);
        }
    }

    /** A list that keeps nothing, for runs whose trace nobody will read. */
    private static final class Discard extends AbstractList<String> {
        @Override
        public boolean add(String line) {
            return true;
        }

        @Override
        public String get(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public int size() {
            return 0;
        }
    }
}

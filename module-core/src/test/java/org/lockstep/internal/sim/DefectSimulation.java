package org.lockstep.internal.sim;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationConfig;
import org.lockstep.TransactionMode;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.postgres.PostgresDatabase;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.MigrationProtocol;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.protocol.Turns;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * Runs a {@link DefectScenario} as {@link Simulation} runs a {@link Scenario} (the real protocol,
 * random interleavings and crashes, atomicity after every step), on the {@link SimDatabase}
 * with what each defect needs modelled on top of it:
 *
 * <ul>
 *   <li><b>name resolution</b>: the history table has the name it was created with; a
 *       worker finds it by its own spelling the way the database resolves names (SQLite
 *       ignores case; PostgreSQL folds an unquoted name to lower case, and so creates it);
 *   <li><b>session state</b>: a session has a {@code search_path}; a script's {@code SET}
 *       changes it for the rest of the session, and an unqualified table a statement names
 *       (the scripts' {@code effects}) is found through it, so an effect lands in schema
 *       {@code other} once the path is changed;
 *   <li><b>error codes</b>: a statement's error carries the dialect's code (SQLITE_LOCKED,
 *       SQLState 40001) and is classified by the real {@link SqliteDatabase} or
 *       {@link PostgresDatabase};
 *   <li><b>connection identity</b>: an in-memory database belongs to its connection;
 *   <li><b>row identity</b>: a child table {@code c} with rowids (gaps in them, or none for a
 *       {@code WITHOUT ROWID} table) and a foreign key to {@code p}, derived from the
 *       effects committed so far ({@code c:rebuild} renumbers the rows 1..n, {@code c:orphan}
 *       adds a row whose parent is missing); the foreign-key check compares the violations at
 *       commit with those when the lock was taken.
 * </ul>
 *
 * With {@link DefectScenario#broken()} the model behaves as Lockstep did before the defect's
 * fix, so the properties can be shown to catch it.
 */
final class DefectSimulation {
    private static final String DEFAULT_PATH = "public";

    private DefectSimulation() {}

    static Simulation.Outcome run(DefectScenario defect, Tape tape, List<String> trace) {
        Scenario scenario = defect.base();
        List<MigrationScript> all = defect.scripts();
        List<MigrationScript> applied = all.subList(0, scenario.appliedPrefix());
        List<MigrationScript> pending = all.subList(scenario.appliedPrefix(), all.size());
        SimDatabase.State initial = Simulation.after(SimDatabase.State.EMPTY, applied);
        SimDatabase database =
                new SimDatabase(initial, scenario.readBusyPercent(), scenario.commitBusyPercent(), tape, trace);
        if (scenario.outsideHoldMillis() > 0) {
            database.holdOutsideUntil(scenario.outsideHoldMillis());
        }
        Names names = new Names(initial.historyExists() ? DefectScenario.SPELLINGS.get(0) : null);
        Scheduler scheduler =
                new Scheduler(tape, trace, scenario.maxCrashes(), scenario.crashPercent(), scenario.restart(), 150_000);
        TapeRandom random = new TapeRandom(tape);
        for (int w = 0; w < scenario.workers(); w++) {
            List<MigrationScript> release = all.subList(0, defect.release().get(w));
            String historyName = defect.historyNames().get(w);
            MigrationConfig config = MigrationConfig.builder()
                    .url("jdbc:sqlite::memory:")
                    .location(Path.of("."))
                    .transactionMode(scenario.mode())
                    .lockTimeout(Duration.ofMillis(scenario.lockTimeoutMillis()))
                    // Before the fix, an applied version with no script failed validation.
                    .failOnFuture(defect.broken() && defect.dimension() == DefectScenario.Dimension.OLDER_RELEASE)
                    .build();
            scheduler.spawn("w" + w, worker -> {
                String owner = worker.name + (worker.incarnation == 0 ? "" : "#" + worker.incarnation);
                MigrationProtocol protocol = new MigrationProtocol(
                        new Model(defect, database, names, historyName, worker, tape, trace),
                        worker.clock(),
                        worker.sleeper(),
                        Simulation.SIM_BACKOFF,
                        Turns.NONE,
                        MigrationProtocol.Settings.of(config, owner));
                return protocol.migrate(release, random);
            });
        }
        // With releases of different lengths, one transaction of an older release commits all
        // of its pending scripts and no more: atomicity is then a prefix, ending where some
        // release ends (or anywhere, one migration per transaction).
        java.util.Set<Integer> ends = new java.util.TreeSet<>();
        for (int count : defect.release()) {
            ends.add(Math.max(0, count - scenario.appliedPrefix()));
        }
        ends.add(0);
        Scenario prefixOnly = ends.size() > 2 ? scenario.withMode(TransactionMode.PER_MIGRATION) : scenario;
        List<Scheduler.Worker> finished = scheduler.run(
                () -> {
                    database.tick(scheduler.nowMillis());
                    Simulation.checkAtomic(prefixOnly, initial, pending, database.committed(), trace);
                    int n = database.committed().history().size()
                            - initial.history().size();
                    if (scenario.mode() == org.lockstep.TransactionMode.ALL_PENDING && !ends.contains(n)) {
                        trace.add("!! atomicity violated: " + n + " migrations committed, no release ends there");
                        throw new PropertyViolation("atomicity: one-transaction deploys committed " + n
                                + " migrations, where no release's deploy ends " + ends);
                    }
                },
                database::tick);
        return new Simulation.Outcome(
                scenario,
                finished,
                initial,
                database.committed(),
                all,
                pending,
                trace,
                scheduler.steps(),
                database.failingRuns());
    }

    /** The history table's name as it was created, once it is committed. */
    private static final class Names {
        String created;

        Names(String created) {
            this.created = created;
        }
    }

    /** The database one worker sees: the simulated one, with the dimension's model on top. */
    private static final class Model implements Database {
        private final DefectScenario defect;
        private final SimDatabase database;
        private final Names names;
        private final String historyName;
        private final Scheduler.Worker worker;
        private final Tape tape;
        private final List<String> trace;
        private final Database dialect;
        private final Database shared;

        Model(
                DefectScenario defect,
                SimDatabase database,
                Names names,
                String historyName,
                Scheduler.Worker worker,
                Tape tape,
                List<String> trace) {
            this.defect = defect;
            this.database = database;
            this.names = names;
            this.historyName = historyName;
            this.worker = worker;
            this.tape = tape;
            this.trace = trace;
            HistoryName name = new HistoryName(historyName, Optional.empty());
            this.dialect = postgres()
                    ? new PostgresDatabase(ConnectionSource.of("jdbc:postgresql://sim/sim"), name)
                    : new SqliteDatabase(ConnectionSource.of("jdbc:sqlite:sim.db"), name);
            this.shared = database.forWorker(worker);
        }

        private boolean postgres() {
            return defect.base().shape() == Scenario.LockShape.POSTGRESQL;
        }

        private boolean broken(DefectScenario.Dimension dimension) {
            return defect.broken() && defect.dimension() == dimension;
        }

        @Override
        public Session open() throws SQLException {
            if (broken(DefectScenario.Dimension.IN_MEMORY)) {
                // A new connection to jdbc:sqlite::memory: opens a new, empty database.
                SimDatabase fresh = new SimDatabase(SimDatabase.State.EMPTY, 0, 0, tape, trace);
                return new ModelSession(fresh.forWorker(worker).open());
            }
            return new ModelSession(shared.open());
        }

        @Override
        public boolean isBusy(SQLException error) {
            // The simulated lock's busy error, or what the real dialect calls busy.
            return shared.isBusy(error) || dialect.isBusy(error);
        }

        @Override
        public boolean isDatabaseFault(SQLException error) {
            return dialect.isDatabaseFault(error);
        }

        @Override
        public DatabaseException translate(SQLException error, String doing) {
            return shared.translate(error, doing);
        }

        @Override
        public String describe() {
            return shared.describe();
        }

        /** Whether this worker's spelling finds a table created as {@code created}. */
        private boolean finds(String created) {
            if (broken(DefectScenario.Dimension.HISTORY_NAME_CASE)) {
                return created.equals(historyName);
            }
            return postgres()
                    ? created.equals(historyName.toLowerCase(Locale.ROOT))
                    : created.equalsIgnoreCase(historyName);
        }

        private String asCreated() {
            return postgres() ? historyName.toLowerCase(Locale.ROOT) : historyName;
        }

        private final class ModelSession extends ForwardingSession {
            private String searchPath = DEFAULT_PATH;
            // Where this session found the history table when it opened: the fix resolves it
            // once, before any script can change the path.
            private final String historySchema = DEFAULT_PATH;
            private SQLException deferred;
            private List<String> before; // the committed effects when the lock was taken
            private List<String> transaction; // the effects the transaction sees
            private boolean createdHere;

            ModelSession(Session delegate) {
                super(delegate);
            }

            @Override
            public HistorySnapshot readHistory() throws SQLException {
                HistorySnapshot seen = delegate.readHistory();
                if (seen.tableExists() && names.created != null && !finds(names.created) && !createdHere) {
                    worker.log("history table [" + historyName + "] not found (it is [" + names.created + "])");
                    return new HistorySnapshot(false, List.of(), seen.hasOtherTables());
                }
                return seen;
            }

            @Override
            public void lock(Duration statementLockWait) throws SQLException {
                delegate.lock(statementLockWait);
                before = database.committed().effects();
                transaction = new ArrayList<>(before);
            }

            @Override
            public void startMigration() throws SQLException {
                delegate.startMigration();
                if (!broken(DefectScenario.Dimension.SEARCH_PATH)) {
                    searchPath = DEFAULT_PATH; // settings put back before each migration
                }
            }

            @Override
            public void createHistoryTable() throws SQLException {
                delegate.createHistoryTable();
                createdHere = names.created == null;
            }

            @Override
            public void execute(SqlStatement statement) throws SQLException {
                String sql = statement.sql();
                if (sql.equals(DefectScenario.SET_SEARCH_PATH)) {
                    worker.yieldAt("execute");
                    searchPath = "other";
                    worker.log("EXEC " + sql);
                    return;
                }
                if (sql.equals(DefectScenario.LOCKED_STATEMENT)) {
                    worker.yieldAt("execute");
                    SQLException error = postgres()
                            ? new SQLException("could not serialize access due to concurrent update", "40001")
                            : new SQLException("database table is locked (SQLITE_LOCKED)", "", 6);
                    worker.log("EXEC " + sql + " -> " + error.getMessage());
                    if (broken(DefectScenario.Dimension.LOCKED_SCRIPT_ERROR)) {
                        deferred = error; // escapes the statement's handler, as before the fix
                        return;
                    }
                    throw error;
                }
                if (!searchPath.equals(DEFAULT_PATH)) {
                    // An unqualified table is found through the session's search_path.
                    java.util.regex.Matcher effect = SimDatabase.EFFECT.matcher(sql);
                    if (effect.matches()) {
                        sql = "INSERT INTO effects (name) VALUES ('" + searchPath + "." + effect.group(1) + "')";
                    }
                }
                delegate.execute(new SqlStatement(sql, statement.line()));
                java.util.regex.Matcher effect = SimDatabase.EFFECT.matcher(sql);
                if (transaction != null && effect.matches()) {
                    transaction.add(effect.group(1));
                }
            }

            @Override
            public void undoDeploy() throws SQLException {
                delegate.undoDeploy();
                if (before != null) {
                    transaction = new ArrayList<>(before);
                }
            }

            @Override
            public List<String> integrityViolations() throws SQLException {
                List<String> violations = new ArrayList<>(delegate.integrityViolations());
                if (defect.dimension() == DefectScenario.Dimension.ROW_IDENTITY && before != null) {
                    violations.addAll(RowIdentity.newViolations(
                            before, transaction, defect.withoutRowid(), broken(DefectScenario.Dimension.ROW_IDENTITY)));
                }
                if (deferred != null) {
                    SQLException error = deferred;
                    deferred = null;
                    throw error;
                }
                return violations;
            }

            @Override
            public void insertHistory(HistoryRow row) throws SQLException {
                String schema = broken(DefectScenario.Dimension.SEARCH_PATH) ? searchPath : historySchema;
                if (!schema.equals(DEFAULT_PATH)) {
                    worker.yieldAt("insert history");
                    worker.log("INSERT history " + row.version() + " -> no table " + schema + ".schema_migrations");
                    throw new SQLException("relation \"schema_migrations\" does not exist", "42P01");
                }
                delegate.insertHistory(row);
            }

            @Override
            public void commit() throws SQLException {
                delegate.commit();
                if (createdHere && names.created == null) {
                    names.created = asCreated();
                }
            }
        }
    }

    /** The outcomes' checks per dimension: the random runs' properties. */
    static void check(DefectScenario defect, Simulation.Outcome outcome) {
        if (defect.base().failingScript() >= 0) {
            Checks.everySurvivorFailedWith(outcome, org.lockstep.MigrationFailedException.class);
            int before = defect.base().failingScript() - defect.base().appliedPrefix();
            Checks.stateIs(
                    outcome,
                    outcome.after(defect.base().mode() == org.lockstep.TransactionMode.ALL_PENDING ? 0 : before),
                    "after a failing deploy");
        } else {
            Checks.everySurvivorSucceededConsistently(outcome);
            Checks.finalStateIsEveryScriptOnce(outcome);
        }
    }

    static List<String> newTrace() {
        return new ArrayList<>();
    }
}

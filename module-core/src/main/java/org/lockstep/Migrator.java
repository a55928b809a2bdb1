package org.lockstep;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.lockstep.internal.adopt.Adoption;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.jdbc.Dialect;
import org.lockstep.internal.lint.Linter;
import org.lockstep.internal.postgres.PostgresDatabase;
import org.lockstep.internal.protocol.Backoff;
import org.lockstep.internal.protocol.Cancellation;
import org.lockstep.internal.protocol.MigrationProtocol;
import org.lockstep.internal.protocol.Owner;
import org.lockstep.internal.protocol.Plan;
import org.lockstep.internal.protocol.Sleeper;
import org.lockstep.internal.protocol.Turns;
import org.lockstep.internal.schema.DriftCheck;
import org.lockstep.internal.script.JavaMigrations;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ParsedScripts;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * Applies, validates and reports migrations for one {@link MigrationConfig}.
 *
 * <p>Thread-safe: one instance may be shared, and any number of instances in any number of
 * processes (on any number of hosts, for PostgreSQL) may migrate one database at the same
 * moment. Each call opens its own connections and holds none between calls, with one
 * exception: a SQLite database in memory ({@code jdbc:sqlite::memory:}, {@code jdbc:sqlite:},
 * or a URI with {@code mode=memory}) exists only while a connection to it is open, so the
 * Migrator opens one connection for it on first use and keeps it for its own lifetime; every
 * call then sees the work of the calls before it, and concurrent calls take turns. Every call reads
 * the scripts anew, and checks their names, versions and syntax before it opens the
 * database. The database's dialect (SQLite or PostgreSQL) comes from a {@code jdbc:sqlite:} or
 * {@code jdbc:postgresql:} URL; with a {@link javax.sql.DataSource} (or another URL) the first
 * call opens one connection to learn the product, after checking the scripts' names and
 * versions but before splitting them into statements.
 *
 * <p>A running {@link #migrate()}, {@link #dryRun()} or {@link #baseline} can be stopped from
 * another thread with {@link #cancel()} (a shutdown hook, a signal handler): it stops waiting,
 * or stops applying and rolls back, and throws {@link MigrationInterruptedException}. The
 * library installs no signal handler of its own.
 *
 * <pre>{@code
 * MigrateResult result = Migrator.create(config).migrate();
 * result.applied().forEach(m -> System.out.println("applied " + m.version()));
 * }</pre>
 */
public final class Migrator {
    // The databases Lockstep supports, each a package behind the one seam: a third is one more entry.
    private static final List<Dialect> DIALECTS = List.of(SqliteDatabase.DIALECT, PostgresDatabase.DIALECT);

    private final MigrationConfig config;
    private final String owner;
    private final ConnectionSource source;
    // The dialect and the protocol for it: known at once from a jdbc:sqlite: or
    // jdbc:postgresql: URL; for a data source (or another URL) learned from the first
    // connection, on first use. A race computes it twice, harmlessly.
    private volatile Dialected dialected;
    // The calls running now, for cancel(); each removes itself when it ends.
    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();
    private volatile JavaMigrations java;

    private record Dialected(Dialect dialect, MigrationProtocol protocol) {}

    private Migrator(MigrationConfig config) {
        this.config = config;
        this.owner = config.owner().orElseGet(Owner::next);
        Optional<Dialect> named = config.url().flatMap(url -> Dialect.ofUrl(DIALECTS, url));
        ConnectionSource opened;
        if (config.url().isPresent()) {
            String url = config.url().get();
            String user = config.user().orElse(null);
            String password = config.password().orElse(null);
            opened = named.map(dialect -> dialect.connections().of(url, user, password))
                    .orElseGet(() -> ConnectionSource.of(url, user, password));
        } else {
            opened = ConnectionSource.of(
                    config.dataSource().orElseThrow(), config.dataSourceName().orElse(null));
        }
        if (!config.connectionInitializers().isEmpty()
                || config.serviceLayer().isPresent()
                || config.serviceClassLoader().isPresent()) {
            opened = ConnectionSource.initialized(opened, () -> java().initializers());
        }
        this.source = opened;
        this.dialected = named.map(this::dialected).orElse(null);
    }

    private Dialected dialected(Dialect dialect) {
        return new Dialected(
                dialect,
                new MigrationProtocol(
                        dialect.database(source, new HistoryName(config.historyTable(), config.historySchema())),
                        config.clock(),
                        Sleeper.SYSTEM,
                        Backoff.DEFAULT,
                        Turns.PROCESS,
                        MigrationProtocol.Settings.of(config, owner)));
    }

    private Dialected dialected() {
        Dialected known = dialected;
        if (known == null) {
            known = dialected(Dialect.detect(DIALECTS, source));
            dialected = known;
        }
        return known;
    }

    private MigrationProtocol protocol() {
        return dialected().protocol();
    }

    // Names, versions and UTF-8 are checked before anything is opened; splitting needs the dialect.
    private List<MigrationScript> scripts() {
        return scripts(System.nanoTime());
    }

    // For a call that began at called (System.nanoTime()): a read of the scripts it shares
    // with another thread began after that.
    private List<MigrationScript> scripts(long called) {
        requireLocations();
        JavaMigrations java = java();
        return java.among(ScriptLoader.load(
                config.locations(),
                ParsedScripts.PROCESS,
                () -> dialected().dialect().scripts(),
                called));
    }

    private void requireLocations() {
        if (config.locations().isEmpty()) {
            throw new IllegalStateException("No migration location was given: add one with"
                    + " MigrationConfig.Builder.location(...); only inspect() works without");
        }
    }

    // The Java migrations and initializers, found once per migrator, on first use. A race finds
    // them twice and keeps one.
    private JavaMigrations java() {
        JavaMigrations known = java;
        if (known == null) {
            known = JavaMigrations.of(config);
            java = known;
        }
        return known;
    }

    /**
     * Returns a migrator for the configuration. Opens nothing.
     *
     * @param config the configuration
     * @return the migrator
     */
    public static Migrator create(MigrationConfig config) {
        return new Migrator(Objects.requireNonNull(config, "config"));
    }

    /** Returns the configuration. */
    public MigrationConfig config() {
        return config;
    }

    /**
     * Returns who this Migrator is in the history table: the configured owner, else
     * {@code pid@host} for the first Migrator of this process and {@code pid@host#n} for the
     * n-th, so that no two Migrators of a process share a name.
     */
    public String owner() {
        return owner;
    }

    /**
     * Applies every pending migration, in version order, exactly once however many workers
     * call this at the same time.
     *
     * <p>If the database is up to date this costs one read and takes no write lock. Otherwise
     * the call takes the database's write lock (waiting up to the lock timeout while another
     * worker holds it), applies what is still pending and records it, in one transaction or
     * one per migration as {@link MigrationConfig#transactionMode()} says. A worker that
     * waited while another applied the migrations returns success and reports them in
     * {@link MigrateResult#appliedByOthers()}.
     *
     * <p>The configuration's listener hears {@link MigrationListener#runFinished} or
     * {@link MigrationListener#runFailed} last.
     *
     * @return what this call did
     * @throws IllegalStateException if the configuration has no location
     * @throws InvalidScriptException if a script's name, version or text is invalid; the
     *     database was not opened
     * @throws ValidationFailedException if validation is on and fails; nothing was applied
     * @throws MigrationFailedException if a statement failed; its transaction was rolled back
     *     and the failed attempt recorded, so that other workers that find the same deploy fail
     *     at once with this error ({@link MigrationFailedException#failedFirstBy()}) instead of
     *     running it again, unless {@link MigrationConfig#retryFailed()}
     * @throws LockTimeoutException if the lock was not taken within the lock timeout or
     *     the attempt limit; nothing was changed. It names the holder when the operating system
     *     or the server can tell ({@link LockTimeoutException#holder()})
     * @throws MigrationInterruptedException if the call was cancelled ({@link #cancel()}), or its
     *     thread interrupted, while it waited for the lock or applied migrations; the open
     *     transaction was rolled back, and an interrupted thread's flag is set again
     * @throws DatabaseException if the database cannot be used, or the environment failed under
     *     the deploy (a full disk, an I/O error, a lost connection, a replaced file); the open
     *     transaction was rolled back, and the message says what state the database is in
     */
    public MigrateResult migrate() {
        MigrationListener listener = config.listener();
        MigrateResult result;
        Cancellation cancellation = start();
        long called = ScriptLoader.callBegins();
        try {
            requireLocations(); // at once, not after a wait for another thread's turn
            Supplier<List<MigrationScript>> scripts = () -> scripts(called);
            if (dialected == null) {
                // Learning the dialect opens a connection: names and versions are checked first.
                List<MigrationScript> loaded = scripts(called);
                scripts = () -> loaded;
            }
            result = protocol().migrate(scripts, ThreadLocalRandom.current(), cancellation);
        } catch (LockstepException e) {
            MigrationProtocol.tell(() -> listener.runFailed(e));
            throw e;
        } finally {
            ScriptLoader.callEnds();
            running.remove(cancellation);
        }
        MigrationProtocol.tell(() -> listener.runFinished(result));
        return result;
    }

    /**
     * Asks every {@link #migrate()}, {@link #dryRun()} and {@link #baseline} call of this
     * Migrator that is running now, in any thread, to stop, and returns at once without waiting
     * for them. A call that waits for the lock stops waiting within a few milliseconds; a call
     * that applies migrations has its running statement cancelled (through
     * {@link java.sql.Statement#cancel()}: SQLite interrupts it, PostgreSQL cancels it), takes no
     * further step, and rolls back its open transaction (in per-migration mode, migrations it
     * committed before stay). Each throws {@link MigrationInterruptedException} with
     * {@link MigrationInterruptedException#cancelled()} true once its connection is closed, with
     * the state the database is in. A call that is committing finishes its commit first. Calls that
     * start after this one returns are not affected; {@link #status()}, {@link #validate()} and
     * {@link #inspect()}, which are bounded reads, are not cancelled.
     *
     * <p>Thread-safe, and meant to be called from another thread, such as a shutdown hook or a
     * signal handler: it takes no lock and does no I/O besides asking the driver to cancel.
     *
     * @return true if a call was running and was asked to stop
     */
    public boolean cancel() {
        boolean any = false;
        for (Cancellation cancellation : running) {
            cancellation.cancel();
            any = true;
        }
        return any;
    }

    private Cancellation start() {
        Cancellation cancellation = new Cancellation();
        running.add(cancellation);
        return cancellation;
    }

    /**
     * Inspects the database without a script and without changing anything: where and what it
     * is, its history table, and whether the migration lock is held right now (tried without
     * waiting, released at once). A SQLite file that does not exist is not created. Needs no
     * location. A read blocked by a connection that holds the database exclusively is retried
     * for at most 5 seconds, or the lock timeout if that is shorter.
     *
     * @return what was found
     * @throws LockTimeoutException if the read stayed blocked for its whole bound
     * @throws DatabaseException if the database cannot be opened or read
     */
    public DatabaseInfo inspect() {
        return protocol().inspect(config.historyTable(), ThreadLocalRandom.current());
    }

    /**
     * Works out what {@link #migrate()} would apply now, and changes nothing. It follows the
     * same protocol and validation as {@code migrate()}: when something is pending it takes
     * the write lock (waiting like {@code migrate()}), reads the history under it, and rolls
     * back; so the plan is exactly what a migrate at that moment would have applied.
     *
     * @return the migrations that would be applied, in order; empty if up to date
     * @throws InvalidScriptException if a script's name, version or text is invalid
     * @throws ValidationFailedException if validation is on and fails
     * @throws LockTimeoutException if the lock was not taken within the lock timeout
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     * @throws DatabaseException if the database cannot be used
     */
    public List<PendingMigration> dryRun() {
        Cancellation cancellation = start();
        try {
            List<MigrationScript> scripts = scripts();
            return protocol().dryRun(scripts, ThreadLocalRandom.current(), cancellation);
        } finally {
            running.remove(cancellation);
        }
    }

    /**
     * Adopts an existing database: records every script up to and including {@code version}
     * as applied, without running it, so that {@code migrate()} applies only later scripts.
     * Refused once the database has a history table (a history is never rewritten), on a
     * database without tables (nothing to adopt: run {@code migrate()}), and when no script
     * is at or below the version. Takes the write lock like {@code migrate()}.
     *
     * @param version the version the existing schema corresponds to
     * @return the recorded migrations in {@link MigrateResult#applied()}
     * @throws InvalidScriptException if a script's name, version or text is invalid
     * @throws DatabaseException with reason {@link DatabaseException.Reason#BASELINE_REFUSED}
     *     when refused, or another reason if the database cannot be used
     * @throws LockTimeoutException if the lock was not taken within the lock timeout
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     */
    public MigrateResult baseline(MigrationVersion version) {
        Objects.requireNonNull(version, "version");
        Cancellation cancellation = start();
        try {
            List<MigrationScript> scripts = scripts();
            return protocol().baseline(scripts, version, ThreadLocalRandom.current(), cancellation);
        } finally {
            running.remove(cancellation);
        }
    }

    /**
     * Adopts a database another tool migrated: reads that tool's history (Flyway, sqlx, goose,
     * golang-migrate or dbmate; see {@link MigrationTool}) and records each migration it
     * applied in Lockstep's history, matched to the local script of the same version and
     * verified against the checksum the tool recorded, where it records one. Nothing is run;
     * afterwards {@link #migrate()} applies only later scripts and {@link #validate()} passes.
     * See {@link AdoptResult} for what an adopted row holds.
     *
     * <p>Runs holding the migration lock (waiting like {@code migrate()}), in one transaction,
     * so it is safe while workers start; it is idempotent: versions the history already has are
     * reported, not recorded again. The other tool's table is only read. Refused, writing
     * nothing, when the database does not exist, holds no supported history or several (say
     * which in {@code from}), or when the other tool's table has the name of Lockstep's
     * history table (adopt into another {@link MigrationConfig.Builder#historyTable(String)}).
     *
     * @param from where to look for the other tool's history; {@link AdoptFrom#detect()} to
     *     recognise it
     * @return what was recorded, and what was only reported
     * @throws IllegalStateException if the configuration has no location
     * @throws InvalidScriptException if a script's name, version or text is invalid
     * @throws ValidationFailedException if the tool applied a version no script here has, or a
     *     script differs from what the tool's checksum says was applied; names each file
     * @throws DatabaseException with reason {@link DatabaseException.Reason#ADOPTION_REFUSED} or
     *     {@link DatabaseException.Reason#ADOPTION_BLOCKED} (the tool records a migration that
     *     failed or did not finish) when refused, or another reason if the database cannot be used
     * @throws LockTimeoutException if the lock was not taken within the lock timeout
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     */
    public AdoptResult adopt(AdoptFrom from) {
        return adopt(from, false);
    }

    /**
     * Works out what {@link #adopt(AdoptFrom)} would record, with the same checks and refusals,
     * holding the lock as it would, and changes nothing.
     *
     * @param from where to look for the other tool's history
     * @return what would be recorded, with {@link AdoptResult#dryRun()} true
     * @throws IllegalStateException if the configuration has no location
     * @throws InvalidScriptException if a script's name, version or text is invalid
     * @throws ValidationFailedException as {@link #adopt(AdoptFrom)} would
     * @throws DatabaseException as {@link #adopt(AdoptFrom)} would
     * @throws LockTimeoutException if the lock was not taken within the lock timeout
     * @throws MigrationInterruptedException if the thread was interrupted while waiting
     */
    public AdoptResult adoptDryRun(AdoptFrom from) {
        return adopt(from, true);
    }

    private AdoptResult adopt(AdoptFrom from, boolean dryRun) {
        Objects.requireNonNull(from, "from");
        List<MigrationScript> scripts = scripts();
        Map<MigrationVersion, byte[]> bytes = ScriptLoader.bytes(config.locations());
        MigrationProtocol protocol = protocol();
        if (protocol.isAbsent()) {
            throw new DatabaseException(
                    DatabaseException.Reason.ADOPTION_REFUSED,
                    "Adoption into [" + protocol.describe() + "] refused: the database does not exist, so there is no"
                            + " history to adopt; nothing was created",
                    null);
        }
        Adoption adoption = new Adoption(
                from, config.historyTable(), protocol.describe(), scripts, bytes, config.clock(), owner, dryRun);
        return protocol.underLock(adoption, "adopting", ThreadLocalRandom.current());
    }

    /**
     * Checks the scripts against the history: an applied script that changed, an applied
     * version without a script below the highest script, a pending version below the highest
     * applied one (unless out-of-order is allowed), and, if
     * {@link MigrationConfig#failOnFuture()}, an applied version above every script's. Reads
     * only and takes no lock; creates nothing (a database file that does not exist has an
     * empty history). A read blocked by a connection that holds the database exclusively is
     * retried for at most 5 seconds, or the lock timeout if that is shorter.
     *
     * @throws InvalidScriptException if a script's name, version or text is invalid
     * @throws ValidationFailedException if there is any problem; lists all of them
     * @throws LockTimeoutException if the read stayed blocked for its whole bound
     * @throws DatabaseException if the database cannot be read
     */
    public void validate() {
        List<ValidationProblem> problems = plan().problems(config.failOnFuture());
        if (!problems.isEmpty()) {
            throw new ValidationFailedException(problems);
        }
    }

    /**
     * Reports every known version (scripts and history rows) with its state. Reads only and
     * takes no lock; creates nothing (a database file that does not exist has an empty
     * history). A read blocked by a connection that holds the database exclusively is retried
     * for at most 5 seconds, or the lock timeout if that is shorter.
     *
     * @return the migrations, in version order
     * @throws InvalidScriptException if a script's name, version or text is invalid
     * @throws LockTimeoutException if the read stayed blocked for its whole bound
     * @throws DatabaseException if the database cannot be read
     */
    public List<MigrationInfo> status() {
        return plan().infos();
    }

    /**
     * Lints every script with the {@linkplain LintOptions#defaults() default options}: see
     * {@link #lint(LintOptions)}.
     *
     * @return what was found
     * @throws IllegalStateException if the configuration has no location
     * @throws InvalidScriptException if a script's name or version is invalid, or its text cannot
     *     be read or split into statements
     * @throws DatabaseException with reason {@link DatabaseException.Reason#UNSUPPORTED} for a
     *     PostgreSQL database, {@link DatabaseException.Reason#NO_DRIVER} without a SQLite driver
     */
    public LintReport lint() {
        return lint(LintOptions.defaults());
    }

    /**
     * Finds what is dangerous in the scripts before they run: replays every script, in version
     * order, into a scratch in-memory SQLite database, compares the schema before and after each
     * one, and applies the rules of {@link LintRule} (a rebuild that loses an index, a foreign
     * key to nothing, {@code ADD COLUMN ... NOT NULL} without a default, syntax newer than
     * {@link LintOptions#sqliteVersion()}, statements {@code migrate} refuses, ...). A statement
     * that fails in the replay is a finding, not an error. Changes nothing; the configured
     * database is opened only with {@link LintOptions#pendingOnly()}, to read its history, as
     * {@link #status()} reads it. SQLite only; the SQLite JDBC driver must be there.
     *
     * @param options the oldest SQLite deployed to, and which scripts to report
     * @return what was found, allowed findings included
     * @throws IllegalStateException if the configuration has no location
     * @throws InvalidScriptException if a script's name or version is invalid, or its text cannot
     *     be read or split into statements
     * @throws DatabaseException with reason {@link DatabaseException.Reason#UNSUPPORTED} for a
     *     PostgreSQL database, {@link DatabaseException.Reason#NO_DRIVER} without a SQLite driver,
     *     or another reason if the configured database cannot be read
     * @throws LockTimeoutException if reading the history stayed blocked for its whole bound
     */
    public LintReport lint(LintOptions options) {
        Objects.requireNonNull(options, "options");
        requireLocation();
        requireSqlite("Lint replays scripts into an in-memory SQLite database and checks SQLite scripts only");
        List<ScriptLoader.Lintable> scripts = ScriptLoader.loadForLint(config.locations());
        java.util.function.Predicate<MigrationVersion> reported = options.pendingOnly()
                ? Linter.pending(scripts, protocol().readHistory(ThreadLocalRandom.current()))
                : version -> true;
        return Linter.lint(scripts, reported, options.sqliteVersion(), config.historyTable());
    }

    /**
     * Finds schema drift: replays the scripts the history says were applied, in the order they
     * were applied, into a scratch in-memory SQLite database, and compares the result with the
     * database's schema, object by object (tables with their columns, keys and checks, indexes,
     * triggers, views). Read-only and without the write lock: the schema is read in one read
     * transaction, so it can run while the application serves; a read blocked by a writer waits
     * at most 5 seconds, or the lock timeout if that is shorter. Creates nothing. SQLite only.
     *
     * @return the differences; none if the database matches its history
     * @throws IllegalStateException if the configuration has no location
     * @throws InvalidScriptException if a script is invalid, or an applied one fails when replayed
     * @throws ValidationFailedException if an applied version's script is missing or was edited
     *     (there is nothing faithful to replay)
     * @throws DatabaseException with reason {@link DatabaseException.Reason#UNSUPPORTED} for a
     *     PostgreSQL database (not supported yet), or another reason if it cannot be read
     * @throws LockTimeoutException if reading the history stayed blocked for its whole bound
     */
    public DriftReport drift() {
        requireLocation();
        requireSqlite("Drift is not supported for PostgreSQL yet: it replays scripts into an in-memory SQLite"
                + " database and compares SQLite schemas");
        return DriftCheck.check(new DriftCheck.Inputs(
                scripts(),
                () -> protocol().readHistory(ThreadLocalRandom.current()),
                dialected().dialect().database(source, new HistoryName(config.historyTable(), config.historySchema())),
                source,
                config.historyTable(),
                config.lockTimeout()));
    }

    private void requireLocation() {
        if (config.locations().isEmpty()) {
            throw new IllegalStateException("No migration location was given: add one with"
                    + " MigrationConfig.Builder.location(...); only inspect() works without");
        }
    }

    private void requireSqlite(String why) {
        Dialect dialect = dialected().dialect();
        if (dialect != SqliteDatabase.DIALECT) {
            throw new DatabaseException(
                    DatabaseException.Reason.UNSUPPORTED,
                    why + "; [" + source.describe() + "] is " + dialect.product(),
                    null);
        }
    }

    private Plan plan() {
        List<MigrationScript> scripts = scripts();
        HistorySnapshot history = protocol().readHistory(ThreadLocalRandom.current());
        return Plan.of(scripts, history, config.outOfOrder());
    }
}

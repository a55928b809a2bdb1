package org.lockstep.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.Migrator;

/**
 * {@code worker}, hidden: one worker process of {@code demo} and {@code stress}. It gets ready
 * (JVM started, scripts found, SQLite loaded), waits at the {@link StartGate} (which
 * {@link Herd} opens for every worker at once), migrates, and prints a {@link WorkerReport} line.
 *
 * <p>{@code worker COMMAND [ARGUMENTS]} runs any other command of the tool at the gate
 * instead, with its own options and output: the worker processes of the black-box tests,
 * which migrate with {@code --url}, credentials and {@code --json}, or run {@code new}, so that
 * they are released by the same gate as the command's own herds.
 */
final class WorkerCommand implements Command {
    @Override
    public String name() {
        return "worker";
    }

    @Override
    public String summary() {
        return "";
    }

    @Override
    public String description() {
        return "One worker process of demo and stress: migrates once its start gate (standard input) opens.\n"
                + "With a COMMAND, runs that command with its arguments once the gate opens.\n";
    }

    @Override
    public String arguments() {
        return "[OPTIONS] | COMMAND [ARGUMENTS]";
    }

    @Override
    public Optional<ExitCode> runWithOwnArguments(
            List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            return Optional.empty();
        }
        if (args.get(0).equals(name())) {
            err.println("lockstep worker: a worker does not run another worker");
            return Optional.of(ExitCode.BAD_INPUT);
        }
        try {
            warmUp();
            StartGate.await(out, System.in);
        } catch (EnvironmentException e) {
            err.println("lockstep worker: " + e.getMessage());
            return Optional.of(ExitCode.ENVIRONMENT);
        }
        return Optional.of(ExitCode.ofCode(new LockstepTool(env).run(out, err, args.toArray(String[]::new))));
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(
                Options.DATABASE,
                Options.MIGRATIONS,
                Options.DEMO_SCRIPTS,
                Options.HISTORY_TABLE,
                Options.LOCK_TIMEOUT,
                Options.OWNER,
                Options.PER_MIGRATION,
                Options.HELP);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(true);
        MigrationLocation scripts = options.has(Options.DEMO_SCRIPTS)
                ? DemoCommand.SCRIPTS
                : new MigrationLocation.Directory(options.migrationsFolder());
        AtomicBoolean waiting = new AtomicBoolean();
        MigrationConfig config = options.config(target, scripts)
                .listener(new MigrationListener() {
                    @Override
                    public void lockBusy(Duration waited, int attempts) {
                        // Once, when it first finds the lock held: the bench's wake-up trial
                        // lets the holder commit once every waiter is waiting.
                        if (waiting.compareAndSet(false, true)) {
                            out.println(WorkerReport.WAITING);
                            out.flush();
                        }
                    }
                })
                .build();
        warmUp();
        StartGate.await(out, System.in);
        Migrator migrator = Migrator.create(config);
        MigrateResult result = Signals.cancellable(migrator::cancel, migrator::migrate);
        long returned = System.nanoTime();
        out.println(WorkerReport.of(result, returned).line());
        return ExitCode.OK;
    }

    // Loads the JDBC drivers (PostgreSQL's too, when it is on the class path) and SQLite's
    // native library before the gate, so the herd starts together.
    private static void warmUp() {
        DriverManager.drivers().count();
        try (Connection warmUp = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            warmUp.isValid(1);
        } catch (SQLException e) {
            throw new EnvironmentException("SQLite cannot be loaded: " + e.getMessage(), e);
        }
    }
}

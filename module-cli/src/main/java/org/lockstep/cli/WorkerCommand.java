package org.lockstep.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.Migrator;

/**
 * {@code worker}, hidden: one worker process of {@code demo} and {@code stress}. It gets ready
 * (JVM started, scripts found, SQLite loaded), waits at the {@link StartGate} (which
 * {@link Herd} opens for every worker at once), migrates, and prints a {@link WorkerReport} line.
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
        return "One worker process of demo and stress: migrates once its start gate (standard input) opens.\n";
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(Options.DATABASE, Options.MIGRATIONS, Options.DEMO_SCRIPTS, Options.HISTORY_TABLE,
                Options.LOCK_TIMEOUT, Options.OWNER, Options.PER_MIGRATION, Options.HELP);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(true);
        MigrationLocation scripts = options.has(Options.DEMO_SCRIPTS) ? DemoCommand.SCRIPTS
                : new MigrationLocation.Directory(options.migrationsFolder());
        MigrationConfig config = options.config(target, scripts).build();
        // Loads the driver and its native library before the gate, so the herd starts together.
        try (Connection warmUp = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            warmUp.isValid(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite cannot be loaded: " + e.getMessage(), e);
        }
        StartGate.await(out, System.in);
        MigrateResult result = Migrator.create(config).migrate();
        out.println(WorkerReport.of(result).line());
        return ExitCode.OK;
    }
}

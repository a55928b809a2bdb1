package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/** {@code baseline --version V}: adopts an existing database by recording scripts up to V as applied. */
final class BaselineCommand implements Command {
    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String summary() {
        return "adopt an existing database: record scripts up to --version as applied, without running them";
    }

    @Override
    public String arguments() {
        return "--version VERSION [OPTIONS]";
    }

    @Override
    public String description() {
        return """
                Records every script up to and including --version as applied without running it, on a
                database that has tables but no history table, so that migrate applies only later
                scripts. Refused once a history exists (nothing is ever rewritten), on a database
                without tables, and on a database file that does not exist. Takes the write lock like
                migrate.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return Options.forDatabase(
                Options.MIGRATIONS,
                Options.HISTORY_TABLE,
                Options.HISTORY_SCHEMA,
                Options.LOCK_TIMEOUT,
                Options.OWNER,
                Options.BASELINE_VERSION);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        String text = options.get(Options.BASELINE_VERSION)
                .orElseThrow(() -> new UsageException(
                        "No baseline version: give --version VERSION (or LOCKSTEP_BASELINE_VERSION)"));
        MigrationVersion version;
        try {
            version = MigrationVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Option [--version]: " + e.getMessage());
        }
        Options.Target target = options.target(false);
        if (!target.exists()) {
            throw new UsageException("Database [" + target.shown() + "] does not exist; baseline adopts an existing"
                    + " database (run migrate for a new one)");
        }
        Migrator migrator = Migrator.create(options.config(target).build());
        MigrateResult result = Signals.cancellable(migrator::cancel, () -> migrator.baseline(version));
        if (options.has(Options.JSON)) {
            out.println(Reports.baselineJson(target.shown(), version, result));
        } else if (!options.has(Options.QUIET)) {
            out.print(Reports.baselineText(target.shown(), version, result));
        }
        return ExitCode.OK;
    }
}

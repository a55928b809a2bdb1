package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;
import org.lockstep.PendingMigration;

/** {@code migrate}: applies pending migrations, up to {@code --target}, or prints the plan with {@code --dry-run}. */
final class MigrateCommand implements Command {
    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public String summary() {
        return "apply pending migrations (exactly once, however many workers run it together)";
    }

    @Override
    public String description() {
        return """
                Applies every pending migration in version order. If the database is up to date it
                only reads; otherwise it takes SQLite's write lock, waiting (up to --lock-timeout) while
                another worker migrates, and reports what it applied and what others applied.
                --target applies pending migrations up to that version only; --dry-run takes the lock
                like a migrate, prints the plan (versions, files, statement counts), rolls back and
                changes nothing (it never creates the database file). A migration that runs for over
                a second reports its progress on stderr, at most once a second, unless --quiet.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return Options.forDatabase(
                Options.MIGRATIONS,
                Options.JAVA_MIGRATIONS,
                Options.HISTORY_TABLE,
                Options.HISTORY_SCHEMA,
                Options.LOCK_TIMEOUT,
                Options.OWNER,
                Options.TARGET,
                Options.DRY_RUN,
                Options.PER_MIGRATION,
                Options.OUT_OF_ORDER,
                Options.FAIL_ON_FUTURE,
                Options.RETRY_FAILED);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        boolean dryRun = options.has(Options.DRY_RUN);
        Options.Target target = options.target(!dryRun);
        MigrationConfig.Builder config = options.config(target);
        options.targetVersion().ifPresent(config::target);
        if (dryRun) {
            Migrator dry = Migrator.create(config.build());
            List<PendingMigration> plan = Signals.cancellable(dry::cancel, dry::dryRun);
            if (options.has(Options.JSON)) {
                out.println(Reports.dryRunJson(target.shown(), plan));
            } else if (!options.has(Options.QUIET)) {
                out.print(Reports.dryRunText(target.shown(), plan));
            }
            return ExitCode.OK;
        }
        MigrateResult result;
        if (options.has(Options.QUIET)) {
            Migrator migrator = Migrator.create(config.build());
            result = Signals.cancellable(migrator::cancel, migrator::migrate);
        } else {
            try (Progress progress = Progress.to(err)) {
                Migrator migrator = Migrator.create(config.listener(progress).build());
                result = Signals.cancellable(migrator::cancel, migrator::migrate);
            }
        }
        String limit = options.get(Options.TARGET).orElse(null);
        if (options.has(Options.JSON)) {
            out.println(Reports.migrateJson(target.shown(), limit, result));
        } else if (!options.has(Options.QUIET)) {
            out.print(Reports.migrateText(target.shown(), limit, result));
        }
        return ExitCode.OK;
    }
}

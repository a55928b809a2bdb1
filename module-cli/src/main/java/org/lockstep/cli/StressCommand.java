package org.lockstep.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.lockstep.MigrationLocation;

/**
 * {@code stress}: the demo's herd against the user's own scripts and database, optionally
 * killing random workers with SIGKILL, then verifying exactly-once and integrity.
 */
final class StressCommand implements Command {
    @Override
    public String name() {
        return "stress";
    }

    @Override
    public String summary() {
        return "start N workers at once on your scripts, optionally SIGKILL some; verify exactly-once";
    }

    @Override
    public String arguments() {
        return "--database FILE --migrations DIR [OPTIONS]";
    }

    @Override
    public String description() {
        return """
                Starts --workers processes of this same command at the same instant against your
                database and scripts. With --kill-rate, each worker is killed with SIGKILL with that
                chance at a random moment in the first 2 s; if any was, one more worker (finisher)
                runs afterwards to complete the work. Then verifies: each script's version is in the
                history exactly once, every worker not killed (and the finisher) exited 0, SQLite's
                integrity check passes. Exit code 5 if a check failed. Use a copy of your database:
                stress migrates it.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(
                Options.WORKERS,
                Options.KILL_RATE,
                Options.SEED,
                Options.DATABASE,
                Options.MIGRATIONS,
                Options.HISTORY_TABLE,
                Options.LOCK_TIMEOUT,
                Options.PER_MIGRATION,
                Options.JSON,
                Options.QUIET,
                Options.HELP);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        int workers = options.integer(Options.WORKERS, 1, Herd.MAX_WORKERS, 4);
        double killRate = killRate(options);
        long seed = seed(options);
        Path database = options.databaseFile();
        Path migrations = options.migrationsFolder().toAbsolutePath();
        HerdRun run = HerdRun.of(
                options,
                database,
                new MigrationLocation.Directory(migrations),
                List.of(Options.MIGRATIONS.name(), migrations.toString()),
                workers,
                killRate,
                seed);
        if (!options.has(Options.JSON) && !options.has(Options.QUIET)) {
            out.printf(
                    Locale.ROOT,
                    "Lockstep stress: %d workers at the same instant, kill rate %.2f, seed %d%n",
                    workers,
                    killRate,
                    seed);
            out.printf("  database    %s%n  migrations  %s%n", database, migrations);
            out.flush();
        }
        return run.runAndReport(options, out, err);
    }

    private static double killRate(Options options) throws UsageException {
        String text = options.get(Options.KILL_RATE).orElse("0");
        try {
            double rate = Double.parseDouble(text.strip());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UsageException(
                "Option [" + Options.KILL_RATE.name() + "] takes a number from 0 to 1, not [" + text + "]");
    }

    private static long seed(Options options) throws UsageException {
        String text = options.get(Options.SEED).orElse(null);
        if (text == null) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("Option [" + Options.SEED.name() + "] takes a whole number, not [" + text + "]");
        }
    }
}

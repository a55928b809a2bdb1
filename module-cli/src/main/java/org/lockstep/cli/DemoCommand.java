package org.lockstep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.lockstep.MigrationLocation;

/**
 * {@code demo}: starts N workers of this command at the same instant against one database,
 * with the example scripts shipped in this module, and shows who applied what, who waited, and
 * that each migration ran exactly once.
 */
final class DemoCommand implements Command {
    /** The demo's scripts, inside this module (or its jar on a class path). */
    static final MigrationLocation SCRIPTS =
            new MigrationLocation.ModuleResources(LockstepTool.class.getModule(), "org/lockstep/cli/demo");

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "start N workers at once on one database and show each migration applied exactly once";
    }

    @Override
    public String description() {
        return """
                Starts --workers processes of this same command at the same instant (they wait at a
                start gate until all are up), all migrating one database with the example scripts
                shipped inside the command: notes and tags, a backfill of 300,000 rows and an index
                that take a second or two, so the others visibly wait. Then reports who applied each
                migration, who waited and for how long, and verifies: each version is in the history
                exactly once, every worker exited 0, SQLite's integrity check passes. Exit code 0
                only if every check passed, 5 otherwise. The database is kept for a look afterwards.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(
                Options.WORKERS,
                Options.DATABASE.withHelp(
                        "FILE      the database (default: a new temporary file); its folder must exist"),
                Options.LOCK_TIMEOUT,
                Options.JSON,
                Options.QUIET,
                Options.HELP);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        int workers = options.integer(Options.WORKERS, 1, Herd.MAX_WORKERS, 4);
        Path database = options.has(Options.DATABASE) ? options.databaseFile() : temporaryDatabase();
        HerdRun run = HerdRun.of(
                options,
                database,
                SCRIPTS,
                List.of(Options.DEMO_SCRIPTS.name()),
                workers,
                0,
                ThreadLocalRandom.current().nextLong());
        if (!options.has(Options.JSON) && !options.has(Options.QUIET)) {
            out.printf("Lockstep demo: %d workers migrate one database at the same instant%n", workers);
            out.printf("  database  %s%n  scripts   %s%n", database, SCRIPTS.describe());
            out.flush();
        }
        return run.runAndReport(options, out, err);
    }

    private static Path temporaryDatabase() {
        try {
            return Files.createTempFile("lockstep-demo-", ".db").toAbsolutePath();
        } catch (IOException e) {
            throw new EnvironmentException(
                    "Cannot create a temporary database in [" + System.getProperty("java.io.tmpdir") + "]: " + e, e);
        }
    }
}

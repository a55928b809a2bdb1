package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import org.lockstep.MigrationInfo;
import org.lockstep.Migrator;

/** {@code status}: lists every migration with its state; changes nothing. */
final class StatusCommand implements Command {
    /** The options of the commands that only read. */
    static final List<Options.Spec> READ_OPTIONS = Options.forDatabase(
            Options.MIGRATIONS,
            Options.JAVA_MIGRATIONS,
            Options.HISTORY_TABLE,
            Options.HISTORY_SCHEMA,
            Options.OUT_OF_ORDER,
            Options.FAIL_ON_FUTURE);

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "list every migration with its state (table, or --json); changes nothing";
    }

    @Override
    public String description() {
        return """
                Lists every known version with its state (APPLIED, PENDING, CHECKSUM_MISMATCH,
                MISSING_SCRIPT, OUT_OF_ORDER, FUTURE: applied by a newer release, above every script
                here) and who applied it when. Read-only: never creates the database file, and waits
                at most 5 s for a connection that holds the database exclusively.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return READ_OPTIONS;
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(false);
        List<MigrationInfo> infos =
                Migrator.create(options.config(target).build()).status();
        if (options.has(Options.JSON)) {
            out.println(Reports.statusJson(infos));
        } else if (!options.has(Options.QUIET)) {
            if (!target.exists()) {
                out.println("Database [" + target.shown() + "] does not exist yet; every script is pending.");
            }
            out.print(Reports.statusTable(infos));
        }
        return ExitCode.OK;
    }
}

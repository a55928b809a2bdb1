package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import org.lockstep.DriftReport;
import org.lockstep.Migrator;
import org.lockstep.SchemaDifference;

/**
 * {@code drift}: compares the database's schema with what its applied scripts make, through
 * {@link Migrator#drift()}; read-only, without the write lock.
 */
final class DriftCommand implements Command {
    @Override
    public String name() {
        return "drift";
    }

    @Override
    public String summary() {
        return "compare the database's schema with what its applied scripts make; read-only, no lock";
    }

    @Override
    public String description() {
        return """
                Replays the scripts the history says were applied, in the order they were applied,
                into an in-memory SQLite database and compares the result with the database's schema:
                tables (columns with type, nullability, default and collation, keys, checks), indexes,
                triggers and views that are missing, extra or different. Read-only and without the
                write lock, so it can run while the application serves; never creates the database
                file. Exits 9 when the schema differs, 4 when an applied script is missing or was
                edited (there is nothing faithful to replay). SQLite only (not supported for
                PostgreSQL yet).
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return Options.forDatabase(
                Options.MIGRATIONS, Options.HISTORY_TABLE, Options.HISTORY_SCHEMA, Options.LOCK_TIMEOUT);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(false);
        DriftReport report = Migrator.create(options.config(target).build()).drift();
        if (options.has(Options.JSON)) {
            out.println(LintOutput.driftJson(report));
        } else if (!options.has(Options.QUIET) || !report.matches()) {
            if (report.matches()) {
                out.printf(
                        "No drift: database %s matches its %d applied script%s%n",
                        target.shown(),
                        report.replayed().size(),
                        report.replayed().size() == 1 ? "" : "s");
            } else {
                out.printf(
                        "Drift: database %s differs from what its %d applied script%s make in %d way%s%n",
                        target.shown(),
                        report.replayed().size(),
                        report.replayed().size() == 1 ? "" : "s",
                        report.differences().size(),
                        report.differences().size() == 1 ? "" : "s");
                for (SchemaDifference difference : report.differences()) {
                    out.println("  " + difference.message());
                }
            }
        }
        return report.matches() ? ExitCode.OK : ExitCode.DRIFT_FOUND;
    }
}

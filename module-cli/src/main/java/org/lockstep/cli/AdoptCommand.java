package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.lockstep.AdoptFrom;
import org.lockstep.AdoptResult;
import org.lockstep.MigrationTool;
import org.lockstep.Migrator;

/** {@code adopt}: records what another tool applied, verified against the local scripts, without running anything. */
final class AdoptCommand implements Command {
    @Override
    public String name() {
        return "adopt";
    }

    @Override
    public String summary() {
        return "switch from flyway, sqlx, goose, golang-migrate or dbmate: record what it applied, verified";
    }

    @Override
    public String description() {
        return """
                Reads the history another tool keeps in this database and records each migration it
                applied in Lockstep's history, matched to the script of the same version in
                --migrations and verified against the checksum the tool recorded (Flyway, sqlx). Nothing
                is run; migrate then applies only later scripts, and validate passes. The tool is
                recognised by its table (flyway_schema_history, _sqlx_migrations, goose_db_version,
                schema_migrations); --from and --from-table say which when it cannot be. Runs under the
                migration lock in one transaction; running it again records nothing new. The other
                tool's table is never changed. A failed or dirty migration in its history, or a script
                that differs from what it applied, is refused (exit 4) and nothing is written. When its
                table has the name of Lockstep's history table (schema_migrations), adopt into another
                one with --history-table, and give that option to every later command.
                --dry-run prints what would be recorded and changes nothing.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return Options.forDatabase(
                Options.MIGRATIONS,
                Options.FROM,
                Options.FROM_TABLE,
                Options.HISTORY_TABLE,
                Options.HISTORY_SCHEMA,
                Options.LOCK_TIMEOUT,
                Options.OWNER,
                Options.DRY_RUN.withHelp("          print what would be recorded; change nothing"));
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Optional<MigrationTool> tool = Optional.empty();
        if (options.get(Options.FROM).isPresent()) {
            String name = options.get(Options.FROM).get();
            tool = Optional.of(MigrationTool.named(name)
                    .orElseThrow(() -> new UsageException(
                            "Option [--from]: [" + name + "] is not one of " + List.of(MigrationTool.values()))));
        }
        AdoptFrom from;
        try {
            from = new AdoptFrom(tool, options.get(Options.FROM_TABLE));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Option [--from-table]: " + e.getMessage());
        }
        Options.Target target = options.target(false);
        if (!target.exists()) {
            throw new UsageException("Database [" + target.shown() + "] does not exist; adopt reads a database another"
                    + " tool migrated (run migrate for a new one)");
        }
        Migrator migrator = Migrator.create(options.config(target).build());
        boolean dryRun = options.has(Options.DRY_RUN);
        AdoptResult result = dryRun ? migrator.adoptDryRun(from) : migrator.adopt(from);
        if (options.has(Options.JSON)) {
            out.println(Reports.adoptJson(target.shown(), result));
        } else if (!options.has(Options.QUIET)) {
            out.print(Reports.adoptText(target.shown(), result));
        }
        return ExitCode.OK;
    }
}

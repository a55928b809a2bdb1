package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.lockstep.LintLevel;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.Migrator;

/**
 * {@code lint}: replays the scripts into an in-memory SQLite database and reports what is
 * dangerous in them, through {@link Migrator#lint(LintOptions)}; changes nothing.
 */
final class LintCommand implements Command {
    /** Shown when no database is given: the scripts are checked against an empty one. */
    private static final String NO_DATABASE = "jdbc:sqlite::memory:";

    @Override
    public String name() {
        return "lint";
    }

    @Override
    public String summary() {
        return "find dangerous statements in the scripts before they run (text, json or sarif); changes nothing";
    }

    @Override
    public String description() {
        return """
                Replays every script, in version order, into an in-memory SQLite database, compares
                the schema before and after each one, and reports what would go wrong on a real
                database: a table rebuild that loses indexes, triggers or constraints, a foreign key
                to nothing, ADD COLUMN ... NOT NULL without a default, new UNIQUE indexes, dropped or
                renamed tables and columns, syntax newer than --sqlite-version, statements migrate
                refuses, statements that fail. Each finding names its file and line, its rule's id
                and a hint; lint-rules.md (linked from the README) shows every rule with a bad and
                a fixed example. A comment -- lockstep:allow RULE REASON on a statement
                allows one rule there (--verbose shows allowed findings and their reasons). With
                --database, only the scripts pending there are reported (all are replayed). Exits 8
                when a finding reaches --fail-on. SQLite only; never creates the database file.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(
                Options.MIGRATIONS,
                Options.DATABASE.withHelp(
                        "FILE      report only the scripts pending in this SQLite database (read, never created)"),
                Options.URL,
                Options.HISTORY_TABLE,
                Options.FORMAT,
                Options.SQLITE_VERSION,
                Options.FAIL_ON,
                Options.QUIET,
                Options.VERBOSE,
                Options.HELP);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        String format = options.get(Options.FORMAT).orElse("text").toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "sarif").contains(format)) {
            throw new UsageException("Option [--format] takes text, json or sarif, not [" + format + "]");
        }
        LintLevel failOn = failOn(options);
        boolean database = options.has(Options.DATABASE) || options.has(Options.URL);
        Options.Target target = database ? options.target(false) : new Options.Target(NO_DATABASE, "none", false);
        LintOptions lint = LintOptions.defaults().withPendingOnly(database);
        if (options.has(Options.SQLITE_VERSION)) {
            try {
                lint = lint.withSqliteVersion(
                        options.get(Options.SQLITE_VERSION).get());
            } catch (IllegalArgumentException e) {
                throw new UsageException("Option [--sqlite-version]: " + e.getMessage());
            }
        }
        LintReport report = Migrator.create(options.config(target).build()).lint(lint);
        boolean failed = report.reaches(failOn);
        switch (format) {
            case "json":
                out.println(LintOutput.json(report, failOn, failed));
                break;
            case "sarif":
                out.println(LintOutput.sarif(report, LockstepTool.version()));
                break;
            default:
                if (!options.has(Options.QUIET) || failed) {
                    out.print(LintOutput.text(report, failOn, options.has(Options.VERBOSE)));
                }
        }
        return failed ? ExitCode.LINT_FINDINGS : ExitCode.OK;
    }

    private static LintLevel failOn(Options options) throws UsageException {
        String level = options.get(Options.FAIL_ON).orElse("error").toLowerCase(Locale.ROOT);
        switch (level) {
            case "error":
                return LintLevel.ERROR;
            case "warning":
                return LintLevel.WARNING;
            default:
                throw new UsageException("Option [--fail-on] takes error or warning, not [" + level + "]");
        }
    }
}

package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import org.lockstep.Migrator;

/** {@code validate}: checks the scripts against the history table; changes nothing. */
final class ValidateCommand implements Command {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "check the scripts against the history table; changes nothing";
    }

    @Override
    public String description() {
        return """
                Checks the scripts against the history table: edited applied scripts, applied
                versions without a script below the highest script, pending versions below the
                highest applied one, and with --fail-on-future applied versions above every script.
                Read-only: never creates the database file, and waits at most 5 s for a connection
                that holds the database exclusively.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return StatusCommand.READ_OPTIONS;
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(false);
        Migrator.create(options.config(target).build()).validate();
        if (!options.has(Options.QUIET)) {
            out.println(
                    options.has(Options.JSON) ? "{\"valid\":true}" : "Validation passed for [" + target.shown() + "]");
        }
        return ExitCode.OK;
    }
}

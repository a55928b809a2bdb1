package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lockstep.LockstepException;

/**
 * One verb of the {@code lockstep} command: its help, the options it takes, and what it does.
 * Implementations are stateless; failures are thrown ({@link UsageException},
 * {@link LockstepException}) and mapped to exit codes by {@link ExitCode}.
 */
interface Command {
    /** The verb, e.g. {@code migrate}. */
    String name();

    /** One line for the main help; empty for a hidden command. */
    String summary();

    /** What comes after the verb in the usage line. */
    default String arguments() {
        return "[OPTIONS]";
    }

    /** A few lines for the command's help. */
    String description();

    /** The options it takes, in help order. */
    List<Options.Spec> options();

    /** How many arguments that are not options it takes. */
    default int positionals() {
        return 0;
    }

    /**
     * Runs a command that parses its own arguments (and prints its own help), before the
     * shared option parsing; empty for every command that uses {@link #options()}.
     *
     * @param args the arguments after the verb
     * @param env the environment
     * @param out standard output
     * @param err standard error
     * @return the exit code, or empty to run through {@link #run}
     */
    default Optional<ExitCode> runWithOwnArguments(
            List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return Optional.empty();
    }

    /**
     * Runs the command.
     *
     * @param options the parsed options
     * @param out standard output: the report
     * @param err standard error: progress and problems
     * @return the exit code
     * @throws UsageException if an option's value is bad
     */
    ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException;
}

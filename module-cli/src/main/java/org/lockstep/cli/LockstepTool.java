package org.lockstep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.spi.ToolProvider;
import org.lockstep.DatabaseException;
import org.lockstep.LockstepException;

/**
 * The {@code lockstep} command as a {@link ToolProvider}, so tests and applications can run
 * it in-process. Never calls {@link System#exit}; returns the exit code.
 */
public final class LockstepTool implements ToolProvider {
    /** Every command, in help order; the hidden worker last. */
    static final List<Command> COMMANDS = List.of(
            new MigrateCommand(),
            new ValidateCommand(),
            new StatusCommand(),
            new InfoCommand(),
            new NewCommand(),
            new BaselineCommand(),
            new AdoptCommand(),
            new LintCommand(),
            new DriftCommand(),
            new DemoCommand(),
            new StressCommand(),
            new BenchCommand(),
            new WorkerCommand());

    // Held so java.util.logging cannot forget the level set on it.
    private static final Logger LIBRARY_LOG = Logger.getLogger("org.lockstep");
    // The PostgreSQL driver's own log: through the command's handler under --verbose, else off.
    private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

    private final Map<String, String> env;

    /** Creates the tool reading options from the process environment. */
    public LockstepTool() {
        this(System.getenv());
    }

    /**
     * Creates the tool with the given environment, for tests and embedding.
     *
     * @param env the environment variables to read options from
     */
    public LockstepTool(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String name() {
        return "lockstep";
    }

    /**
     * Runs the command. Everything it prints shows control characters and bidirectional
     * overrides escaped (see {@link EscapingWriter}), wherever the text came from.
     */
    @Override
    public int run(PrintWriter out, PrintWriter err, String... args) {
        PrintWriter shownOut = EscapingWriter.around(out);
        PrintWriter shownErr = EscapingWriter.around(err);
        try {
            return execute(shownOut, shownErr, Arrays.asList(args)).code;
        } finally {
            shownOut.flush();
            shownErr.flush();
        }
    }

    private ExitCode execute(PrintWriter out, PrintWriter err, List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.print(Help.main(COMMANDS));
            return args.isEmpty() ? ExitCode.BAD_INPUT : ExitCode.OK;
        }
        if (args.get(0).equals("--version")) {
            out.println("lockstep " + version());
            return ExitCode.OK;
        }
        String name = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (name.equals("help")) {
            if (rest.isEmpty()) {
                out.print(Help.main(COMMANDS));
                return ExitCode.OK;
            }
            name = rest.get(0);
            rest = List.of("--help");
        }
        Optional<Command> found = find(name);
        if (found.isEmpty()) {
            UsageException unknown = new UsageException("Unknown command [" + name + "]; run lockstep --help");
            err.println("lockstep: " + unknown.getMessage());
            if (rest.contains(Options.JSON.name())) {
                out.println(Reports.errorJson(name, ExitCode.BAD_INPUT, unknown));
            }
            return ExitCode.BAD_INPUT;
        }
        Command command = found.get();
        Optional<ExitCode> own = command.runWithOwnArguments(rest, env, out, err);
        if (own.isPresent()) {
            return own.get();
        }
        if (rest.contains("--help")) {
            out.print(Help.command(command));
            return ExitCode.OK;
        }
        Handler handler = null;
        Options options = null;
        try {
            options = Options.parse(rest, command.options(), command.positionals(), env);
            handler = attachLog(err, options.has(Options.VERBOSE));
            return command.run(options, out, err);
        } catch (UsageException e) {
            return failed(name, ExitCode.BAD_INPUT, e, json(command, options, rest), out, err);
        } catch (EnvironmentException e) {
            return failed(name, ExitCode.ENVIRONMENT, e, json(command, options, rest), out, err);
        } catch (LockstepException e) {
            ExitCode code = failed(name, ExitCode.of(e), e, json(command, options, rest), out, err);
            if (e instanceof DatabaseException database && database.reason() == DatabaseException.Reason.NO_DRIVER) {
                err.println("lockstep: the runtime image links only the SQLite driver (PostgreSQL's driver is an"
                        + " automatic module, which jlink cannot link); add it to the class path with"
                        + " LOCKSTEP_JAVA_OPTIONS=\"-cp /path/to/postgresql.jar\"");
            }
            return code;
        } catch (RuntimeException e) {
            // Nobody anticipated this: a bug. One line; the stack trace under --verbose.
            boolean verbose = options != null ? options.has(Options.VERBOSE) : rest.contains(Options.VERBOSE.name());
            ExitCode code = failed(
                    name,
                    ExitCode.INTERNAL_ERROR,
                    new IllegalStateException(
                            "unexpected error ("
                                    + e + "); this is a bug in Lockstep, please report it"
                                    + (verbose ? "" : " with the output of --verbose"),
                            e),
                    json(command, options, rest),
                    out,
                    err);
            if (verbose) {
                e.printStackTrace(err);
            }
            return code;
        } finally {
            detachLog(handler);
        }
    }

    // The human line on stderr; with --json also the error object on stdout, so that a script
    // reading stdout always gets one JSON value.
    private static ExitCode failed(
            String name, ExitCode code, Exception failure, boolean json, PrintWriter out, PrintWriter err) {
        err.println("lockstep " + name + ": " + failure.getMessage());
        if (json) {
            out.println(Reports.errorJson(name, code, failure));
        }
        return code;
    }

    // Whether the command was asked for JSON. When the options could not be parsed, from the
    // raw arguments and LOCKSTEP_JSON, if the command takes --json at all.
    private boolean json(Command command, Options options, List<String> args) {
        if (options != null) {
            return options.has(Options.JSON);
        }
        if (command.options().stream().noneMatch(spec -> spec.name().equals(Options.JSON.name()))) {
            return false;
        }
        String variable = env.get(Options.JSON.variable());
        return args.contains(Options.JSON.name())
                || variable != null && variable.strip().equalsIgnoreCase("true");
    }

    private static Optional<Command> find(String name) {
        return COMMANDS.stream().filter(command -> command.name().equals(name)).findFirst();
    }

    // The library logs through System.Logger, which the JDK routes to java.util.logging. The
    // command owns the console: warnings (long lock waits) go to stderr on one line each,
    // and --verbose adds the library's INFO and DEBUG lines.
    private static Handler attachLog(PrintWriter err, boolean verbose) {
        Logger logger = LIBRARY_LOG;
        Handler handler = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    synchronized (err) {
                        err.println("lockstep: " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
                                + formatter.formatMessage(record));
                        err.flush();
                    }
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        Level level = verbose ? Level.ALL : Level.WARNING;
        handler.setLevel(level);
        logger.setLevel(level);
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        DRIVER_LOG.setUseParentHandlers(false);
        DRIVER_LOG.setLevel(verbose ? Level.WARNING : Level.OFF);
        DRIVER_LOG.addHandler(handler);
        return handler;
    }

    private static void detachLog(Handler handler) {
        if (handler != null) {
            LIBRARY_LOG.removeHandler(handler);
            DRIVER_LOG.removeHandler(handler);
        }
    }

    static String version() {
        try (InputStream in = LockstepTool.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

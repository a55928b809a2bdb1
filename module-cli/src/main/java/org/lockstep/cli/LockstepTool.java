package org.lockstep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.spi.ToolProvider;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.lockstep.LockstepException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInfo;
import org.lockstep.Migrator;

/**
 * The {@code lockstep} command as a {@link ToolProvider}, so tests and applications can run
 * it in-process. Never calls {@link System#exit}; returns the exit code.
 */
public final class LockstepTool implements ToolProvider {
    private static final List<Options.Spec> MIGRATE_OPTIONS = List.of(Options.DATABASE, Options.URL,
            Options.MIGRATIONS, Options.HISTORY_TABLE, Options.LOCK_TIMEOUT, Options.OWNER, Options.PER_MIGRATION,
            Options.OUT_OF_ORDER, Options.JSON, Options.QUIET, Options.VERBOSE, Options.HELP);
    private static final List<Options.Spec> READ_OPTIONS = List.of(Options.DATABASE, Options.URL,
            Options.MIGRATIONS, Options.HISTORY_TABLE, Options.OUT_OF_ORDER, Options.JSON, Options.QUIET,
            Options.VERBOSE, Options.HELP);

    // Held so java.util.logging cannot forget the level set on it.
    private static final Logger LIBRARY_LOG = Logger.getLogger("org.lockstep");

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

    @Override
    public int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            return execute(out, err, Arrays.asList(args)).code;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private ExitCode execute(PrintWriter out, PrintWriter err, List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.print(Help.main());
            return args.isEmpty() ? ExitCode.BAD_INPUT : ExitCode.OK;
        }
        if (args.get(0).equals("--version")) {
            out.println("lockstep " + version());
            return ExitCode.OK;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (command.equals("help")) {
            if (rest.isEmpty()) {
                out.print(Help.main());
                return ExitCode.OK;
            }
            command = rest.get(0);
            rest = List.of("--help");
        }
        List<Options.Spec> allowed;
        switch (command) {
            case "migrate":
                allowed = MIGRATE_OPTIONS;
                break;
            case "validate":
            case "status":
                allowed = READ_OPTIONS;
                break;
            default:
                err.println("lockstep: unknown command [" + command + "]; run lockstep --help");
                return ExitCode.BAD_INPUT;
        }
        if (rest.contains("--help")) {
            out.print(Help.command(command, allowed));
            return ExitCode.OK;
        }
        Handler handler = null;
        try {
            Options options = Options.parse(rest, allowed, env);
            handler = attachLog(err, options.has(Options.VERBOSE));
            switch (command) {
                case "migrate":
                    return migrate(out, options);
                case "validate":
                    return validate(out, options);
                default:
                    return status(out, options);
            }
        } catch (UsageException e) {
            err.println("lockstep " + command + ": " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("lockstep " + command + ": " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (LockstepException e) {
            err.println("lockstep " + command + ": " + e.getMessage());
            return ExitCode.of(e);
        } finally {
            detachLog(handler);
        }
    }

    private ExitCode migrate(PrintWriter out, Options options) throws UsageException {
        Options.Target target = options.target(true);
        MigrationConfig config = options.config(target).build();
        MigrateResult result = Migrator.create(config).migrate();
        if (options.has(Options.JSON)) {
            out.println(Reports.migrateJson(target.shown(), result));
        } else if (!options.has(Options.QUIET)) {
            out.print(Reports.migrateText(target.shown(), result));
        }
        return ExitCode.OK;
    }

    private ExitCode validate(PrintWriter out, Options options) throws UsageException {
        Options.Target target = options.target(false);
        MigrationConfig config = options.config(target).build();
        Migrator.create(config).validate();
        if (!options.has(Options.QUIET)) {
            out.println(options.has(Options.JSON) ? "{\"valid\":true}"
                    : "Validation passed for [" + target.shown() + "]");
        }
        return ExitCode.OK;
    }

    private ExitCode status(PrintWriter out, Options options) throws UsageException {
        Options.Target target = options.target(false);
        MigrationConfig config = options.config(target).build();
        List<MigrationInfo> infos = Migrator.create(config).status();
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
                        err.println("lockstep: " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT)
                                + ": " + formatter.formatMessage(record));
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
        return handler;
    }

    private static void detachLog(Handler handler) {
        if (handler != null) {
            LIBRARY_LOG.removeHandler(handler);
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

package org.lockstep.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.TransactionMode;

/**
 * The parsed command line. Every option except {@code --help} (and the hidden worker's own
 * options) can also come from an environment variable; the command line wins. A flag's
 * variable takes {@code true} or {@code false}.
 */
final class Options {
    /**
     * An option: its name, its environment variable (or null), whether it takes a value, its
     * help line. Options are told apart by name, so {@link #withHelp} gives the same option.
     */
    record Spec(String name, String variable, boolean takesValue, String help) {
        /** Returns this option with another help line, for a command where it means a bit more. */
        Spec withHelp(String otherHelp) {
            return new Spec(name, variable, takesValue, otherHelp);
        }
    }

    static final Spec DATABASE = new Spec(
            "--database",
            "LOCKSTEP_DATABASE",
            true,
            "FILE      the SQLite database file; created by migrate if absent (its folder must exist)");
    static final Spec URL = new Spec(
            "--url",
            "LOCKSTEP_URL",
            true,
            "JDBC_URL  a JDBC URL instead of --database, e.g. jdbc:sqlite:/srv/app.db or"
                    + " jdbc:postgresql://db.internal/app");
    static final Spec USER = new Spec(
            "--user",
            "LOCKSTEP_USER",
            true,
            "NAME      the database user for --url (the password comes from LOCKSTEP_PASSWORD or --password-file)");
    static final Spec PASSWORD_FILE = new Spec(
            "--password-file",
            "LOCKSTEP_PASSWORD_FILE",
            true,
            "FILE      read the password for --url from the first line of FILE; never shown");
    /** The password's variable: set through the environment only, never on the command line. */
    static final String PASSWORD_VARIABLE = "LOCKSTEP_PASSWORD";

    static final Spec MIGRATIONS =
            new Spec("--migrations", "LOCKSTEP_MIGRATIONS", true, "DIR       the folder of migration scripts");
    static final Spec JAVA_MIGRATIONS = new Spec(
            "--java-migrations",
            "LOCKSTEP_JAVA_MIGRATIONS",
            true,
            "PATH      a jar or folder of Java migrations and connection initializers (services of"
                    + " org.lockstep.JavaMigration, org.lockstep.ConnectionInitializer), modular or not,"
                    + " loaded into a new module layer");
    static final Spec HISTORY_TABLE = new Spec(
            "--history-table",
            "LOCKSTEP_HISTORY_TABLE",
            true,
            "NAME      the history table (default schema_migrations)");
    static final Spec HISTORY_SCHEMA = new Spec(
            "--history-schema",
            "LOCKSTEP_HISTORY_SCHEMA",
            true,
            "SCHEMA    PostgreSQL: the schema the history table is fixed to (default: the first schema on the"
                    + " search_path that holds it, else current_schema())");
    static final Spec LOCK_TIMEOUT = new Spec(
            "--lock-timeout",
            "LOCKSTEP_LOCK_TIMEOUT",
            true,
            "DURATION  how long to wait for the migration lock: 500ms, 2s, 1m or PT2S (default 120s)");
    static final Spec OWNER = new Spec(
            "--owner", "LOCKSTEP_OWNER", true, "NAME      who this worker is in the history table (default pid@host)");
    static final Spec TARGET = new Spec(
            "--target",
            "LOCKSTEP_TARGET",
            true,
            "VERSION   apply pending migrations up to and including this version only");
    static final Spec DRY_RUN = new Spec(
            "--dry-run",
            "LOCKSTEP_DRY_RUN",
            false,
            "          print what would be applied (versions, files, statements); change nothing");
    static final Spec BASELINE_VERSION = new Spec(
            "--version",
            "LOCKSTEP_BASELINE_VERSION",
            true,
            "VERSION   the version the existing schema corresponds to (required)");
    static final Spec FROM = new Spec(
            "--from",
            "LOCKSTEP_FROM",
            true,
            "TOOL      the tool whose history to adopt: flyway, sqlx, goose, golang-migrate or dbmate (default:"
                    + " recognised by its table)");
    static final Spec FROM_TABLE = new Spec(
            "--from-table",
            "LOCKSTEP_FROM_TABLE",
            true,
            "NAME      the table that tool keeps its history in, if not its default (needs --from)");
    static final Spec WORKERS = new Spec(
            "--workers",
            "LOCKSTEP_WORKERS",
            true,
            "N         how many worker processes start together, 1 to " + Herd.MAX_WORKERS + " (default 4)");
    static final Spec KILL_RATE = new Spec(
            "--kill-rate",
            "LOCKSTEP_KILL_RATE",
            true,
            "P         the chance, 0 to 1, that each worker is SIGKILLed within " + Herd.KILL_WINDOW.toSeconds()
                    + " s of the start (default 0)");
    static final Spec SEED = new Spec(
            "--seed",
            "LOCKSTEP_SEED",
            true,
            "N         the seed that picks which workers are killed and when (default: random, printed)");
    static final Spec PER_MIGRATION = new Spec(
            "--per-migration",
            "LOCKSTEP_PER_MIGRATION",
            false,
            "          commit each migration on its own (default: all pending in one transaction)");
    static final Spec OUT_OF_ORDER = new Spec(
            "--out-of-order",
            "LOCKSTEP_OUT_OF_ORDER",
            false,
            "          allow a pending version lower than the highest applied one");
    static final Spec FAIL_ON_FUTURE = new Spec(
            "--fail-on-future",
            "LOCKSTEP_FAIL_ON_FUTURE",
            false,
            "          fail validation when the history has a version above every script (default: report"
                    + " it as FUTURE and go on, so an older release keeps starting during a rolling deploy)");
    static final Spec RETRY_FAILED = new Spec(
            "--retry-failed",
            "LOCKSTEP_RETRY_FAILED",
            false,
            "          run a deploy again although another worker's failure of the same scripts is recorded"
                    + " (default: fail at once with that worker's error)");
    static final Spec JSON = new Spec(
            "--json",
            "LOCKSTEP_JSON",
            false,
            "          print JSON instead of text: the report, or the error on failure");
    static final Spec QUIET = new Spec("--quiet", "LOCKSTEP_QUIET", false, "          print nothing on success");
    static final Spec VERBOSE = new Spec(
            "--verbose",
            "LOCKSTEP_VERBOSE",
            false,
            "          also print the library's log (lock waits, each migration)");
    static final Spec FORMAT = new Spec(
            "--format", "LOCKSTEP_FORMAT", true, "FORMAT    text, json or sarif (SARIF 2.1.0, for CI) (default text)");
    static final Spec SQLITE_VERSION = new Spec(
            "--sqlite-version",
            "LOCKSTEP_SQLITE_VERSION",
            true,
            "X.Y       the oldest SQLite the scripts are deployed to, e.g. 3.31 (default: the driver's)");
    static final Spec FAIL_ON = new Spec(
            "--fail-on",
            "LOCKSTEP_FAIL_ON",
            true,
            "LEVEL     error or warning: the level of finding that makes lint exit 8 (default error)");
    static final Spec HELP = new Spec("--help", null, false, "          show this help");

    /**
     * The options of a command that opens a database, in the order its help lists them: where
     * the database is and who connects, then the command's own, then output and help.
     */
    static List<Spec> forDatabase(Spec... own) {
        List<Spec> all = new ArrayList<>(List.of(DATABASE, URL, USER, PASSWORD_FILE));
        all.addAll(List.of(own));
        all.addAll(List.of(JSON, QUIET, VERBOSE, HELP));
        return List.copyOf(all);
    }
    /** The hidden worker's flag for the demo's scripts shipped in this module. */
    static final Spec DEMO_SCRIPTS =
            new Spec("--demo-scripts", null, false, "          migrate with the demo's scripts");

    private final Map<String, String> values;
    private final Set<String> given;
    private final List<String> positional;
    private final String passwordFromEnv;

    private Options(Map<String, String> values, Set<String> given, List<String> positional, String passwordFromEnv) {
        this.values = values;
        this.given = given;
        this.positional = positional;
        this.passwordFromEnv = passwordFromEnv;
    }

    /**
     * Parses {@code args} against the allowed options, then fills in from the environment.
     *
     * @param maxPositional how many arguments that are not options the command takes
     * @throws UsageException on an unknown option, a missing value, a repeated option, too many
     *     arguments, or a flag's variable that is neither true nor false
     */
    static Options parse(List<String> args, List<Spec> allowed, int maxPositional, Map<String, String> env)
            throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (positional.size() == maxPositional) {
                    throw new UsageException("Unexpected argument [" + arg + "]");
                }
                positional.add(arg);
                continue;
            }
            String name = arg;
            String inline = null;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                inline = arg.substring(equals + 1);
            }
            Spec spec = find(allowed, name);
            String value;
            if (spec.takesValue()) {
                if (inline != null) {
                    value = inline;
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("Option [" + name + "] needs a value");
                }
                if (value.isEmpty()) {
                    throw new UsageException("Option [" + name + "] needs a non-empty value");
                }
            } else {
                if (inline != null) {
                    throw new UsageException("Option [" + name + "] takes no value");
                }
                value = "true";
            }
            if (values.put(spec.name(), value) != null) {
                throw new UsageException("Option [" + name + "] is given twice");
            }
        }
        Set<String> given = Set.copyOf(values.keySet());
        for (Spec spec : allowed) {
            if (spec.variable() != null && !values.containsKey(spec.name())) {
                String fromEnv = env.get(spec.variable());
                if (fromEnv != null && !fromEnv.isEmpty()) {
                    if (spec.takesValue()) {
                        values.put(spec.name(), fromEnv);
                    } else if (flag(spec, fromEnv)) {
                        values.put(spec.name(), "true");
                    }
                }
            }
        }
        String password = allowed.contains(PASSWORD_FILE) ? env.get(PASSWORD_VARIABLE) : null;
        return new Options(
                values, given, List.copyOf(positional), password == null || password.isEmpty() ? null : password);
    }

    private static boolean flag(Spec spec, String text) throws UsageException {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new UsageException(
                        "Environment variable [" + spec.variable() + "] takes true or false, not [" + text + "]");
        }
    }

    private static Spec find(List<Spec> allowed, String name) throws UsageException {
        for (Spec spec : allowed) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        throw new UsageException("Unknown option [" + name + "]");
    }

    boolean has(Spec spec) {
        return values.containsKey(spec.name());
    }

    Optional<String> get(Spec spec) {
        return Optional.ofNullable(values.get(spec.name()));
    }

    /** The arguments that are not options, in order. */
    List<String> positional() {
        return positional;
    }

    /** The value of an option that takes a whole number in a range, or the default. */
    int integer(Spec spec, int min, int max, int defaultValue) throws UsageException {
        Optional<String> text = get(spec);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get().strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the range.
        }
        throw new UsageException("Option [" + spec.name() + "] takes a whole number from " + min + " to " + max
                + ", not [" + text.get() + "]");
    }

    /** The database as a JDBC URL, checked so that bad input changes nothing. */
    Target target(boolean mayCreate) throws UsageException {
        Optional<String> file = get(DATABASE);
        Optional<String> url = get(URL);
        if (file.isPresent() && url.isPresent()) {
            if (given.contains(DATABASE.name()) == given.contains(URL.name())) {
                throw new UsageException("Give either --database or --url, not both");
            }
            // One came from the command line and one from the environment: the command line wins.
            if (given.contains(DATABASE.name())) {
                url = Optional.empty();
            }
        }
        if (url.isPresent()) {
            // Shown in reports and messages: the URL with any password in it masked.
            return new Target(url.get(), MigrationConfig.describeUrl(url.get()), true);
        }
        if (file.isEmpty()) {
            throw new UsageException("No database: give --database FILE (or LOCKSTEP_DATABASE) or --url JDBC_URL");
        }
        Path path = databaseFile();
        if (Files.isDirectory(path)) {
            throw new UsageException("Database [" + file.get() + "] is a folder, not a file");
        }
        // The library's reading verbs never create a file that is not there.
        return new Target("jdbc:sqlite:" + path, file.get(), Files.exists(path));
    }

    /** The {@code --database} file, absolute, in a folder that exists. */
    Path databaseFile() throws UsageException {
        String file = get(DATABASE)
                .orElseThrow(() -> new UsageException("No database: give --database FILE (or LOCKSTEP_DATABASE)"));
        Path path = Path.of(file).toAbsolutePath().normalize();
        Path folder = path.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException("Folder [" + folder + "] of database [" + file + "] does not exist;"
                    + " Lockstep does not create folders");
        }
        return path;
    }

    /** Where the database is: the URL to open, the name to show, whether it exists. */
    record Target(String url, String shown, boolean exists) {}

    /**
     * The password for {@code --url}: the first line of {@code --password-file} (or
     * {@code LOCKSTEP_PASSWORD_FILE}), else {@code LOCKSTEP_PASSWORD}. Messages name the file,
     * never what it holds.
     */
    Optional<String> password() throws UsageException {
        Optional<String> file = get(PASSWORD_FILE);
        if (file.isPresent()) {
            try {
                String text = Files.readString(Path.of(file.get()), java.nio.charset.StandardCharsets.UTF_8);
                String first = text.lines().findFirst().orElse("");
                if (first.isEmpty()) {
                    throw new UsageException("Password file [" + file.get() + "] is empty");
                }
                return Optional.of(first);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new UsageException("Password file [" + file.get() + "] cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return Optional.ofNullable(passwordFromEnv);
    }

    /** The {@code --migrations} folder as given. */
    Path migrationsFolder() throws UsageException {
        return Path.of(get(MIGRATIONS)
                .orElseThrow(() ->
                        new UsageException("No migrations folder: give --migrations DIR (or LOCKSTEP_MIGRATIONS)")));
    }

    /** The configuration for the target and the {@code --migrations} folder. */
    MigrationConfig.Builder config(Target target) throws UsageException {
        return config(target, new MigrationLocation.Directory(migrationsFolder()));
    }

    /** The configuration for the target and scripts from the location, with every other option applied. */
    MigrationConfig.Builder config(Target target, MigrationLocation location) throws UsageException {
        return databaseConfig(target).location(location);
    }

    /**
     * The configuration for the target with every option applied, and no location: for a
     * command that needs no scripts. A value the builder refuses is a usage error.
     */
    MigrationConfig.Builder databaseConfig(Target target) throws UsageException {
        MigrationConfig.Builder builder = MigrationConfig.builder();
        Optional<String> password = password();
        try {
            if (target.url().startsWith("jdbc:sqlite:") || (get(USER).isEmpty() && password.isEmpty())) {
                builder.url(target.url());
            } else {
                builder.url(target.url(), get(USER).orElse(""), password.orElse(""));
            }
            if (get(HISTORY_TABLE).isPresent()) {
                builder.historyTable(get(HISTORY_TABLE).get());
            }
            if (get(HISTORY_SCHEMA).isPresent()) {
                builder.historySchema(get(HISTORY_SCHEMA).get());
            }
            if (get(LOCK_TIMEOUT).isPresent()) {
                builder.lockTimeout(
                        Durations.parse(LOCK_TIMEOUT.name(), get(LOCK_TIMEOUT).get()));
            }
            if (get(OWNER).isPresent()) {
                builder.owner(get(OWNER).get());
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (has(PER_MIGRATION)) {
            builder.transactionMode(TransactionMode.PER_MIGRATION);
        }
        builder.outOfOrder(has(OUT_OF_ORDER));
        builder.failOnFuture(has(FAIL_ON_FUTURE));
        builder.retryFailed(has(RETRY_FAILED));
        if (get(JAVA_MIGRATIONS).isPresent()) {
            JavaMigrationPath.apply(Path.of(get(JAVA_MIGRATIONS).get()), builder);
        }
        return builder;
    }

    /** The {@code --target} version, checked. */
    Optional<MigrationVersion> targetVersion() throws UsageException {
        try {
            return get(TARGET).map(MigrationVersion::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Option [--target]: " + e.getMessage());
        }
    }
}

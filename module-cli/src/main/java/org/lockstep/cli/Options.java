package org.lockstep.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lockstep.MigrationConfig;
import org.lockstep.TransactionMode;

/**
 * The parsed command line. Every option that takes a value can also come from an
 * environment variable; the command line wins.
 */
final class Options {
    /** An option: its name, its environment variable (or null), whether it takes a value, its help line. */
    record Spec(String name, String variable, boolean takesValue, String help) {
    }

    static final Spec DATABASE = new Spec("--database", "LOCKSTEP_DATABASE", true,
            "FILE      the SQLite database file; created by migrate if absent (its folder must exist)");
    static final Spec URL = new Spec("--url", "LOCKSTEP_URL", true,
            "JDBC_URL  a JDBC URL instead of --database, e.g. jdbc:sqlite:/srv/app.db");
    static final Spec MIGRATIONS = new Spec("--migrations", "LOCKSTEP_MIGRATIONS", true,
            "DIR       the folder of migration scripts");
    static final Spec HISTORY_TABLE = new Spec("--history-table", "LOCKSTEP_HISTORY_TABLE", true,
            "NAME      the history table (default schema_migrations)");
    static final Spec LOCK_TIMEOUT = new Spec("--lock-timeout", "LOCKSTEP_LOCK_TIMEOUT", true,
            "DURATION  how long to wait for the migration lock: 500ms, 2s, 1m or PT2S (default 120s)");
    static final Spec OWNER = new Spec("--owner", "LOCKSTEP_OWNER", true,
            "NAME      who this worker is in the history table (default pid@host)");
    static final Spec PER_MIGRATION = new Spec("--per-migration", null, false,
            "          commit each migration on its own (default: all pending in one transaction)");
    static final Spec OUT_OF_ORDER = new Spec("--out-of-order", null, false,
            "          allow a pending version lower than the highest applied one");
    static final Spec JSON = new Spec("--json", null, false,
            "          print a JSON report instead of text");
    static final Spec QUIET = new Spec("--quiet", null, false,
            "          print nothing on success");
    static final Spec VERBOSE = new Spec("--verbose", null, false,
            "          also print the library's log (lock waits, each migration)");
    static final Spec HELP = new Spec("--help", null, false,
            "          show this help");

    static final List<Spec> DATABASE_OPTIONS = List.of(DATABASE, URL, HISTORY_TABLE);

    private final Map<Spec, String> values;
    private final java.util.Set<Spec> given;

    private Options(Map<Spec, String> values, java.util.Set<Spec> given) {
        this.values = values;
        this.given = given;
    }

    /**
     * Parses {@code args} against the allowed options, then fills in from the environment.
     *
     * @throws UsageException on an unknown option, a missing value or a repeated option
     */
    static Options parse(List<String> args, List<Spec> allowed, Map<String, String> env) throws UsageException {
        Map<Spec, String> values = new java.util.LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
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
            if (values.put(spec, value) != null) {
                throw new UsageException("Option [" + name + "] is given twice");
            }
        }
        if (!positional.isEmpty()) {
            throw new UsageException("Unexpected argument [" + positional.get(0) + "]");
        }
        java.util.Set<Spec> given = java.util.Set.copyOf(values.keySet());
        for (Spec spec : allowed) {
            if (spec.variable() != null && !values.containsKey(spec)) {
                String fromEnv = env.get(spec.variable());
                if (fromEnv != null && !fromEnv.isEmpty()) {
                    values.put(spec, fromEnv);
                }
            }
        }
        return new Options(values, given);
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
        return values.containsKey(spec);
    }

    Optional<String> get(Spec spec) {
        return Optional.ofNullable(values.get(spec));
    }

    /** The database as a JDBC URL, checked so that bad input changes nothing. */
    Target target(boolean mayCreate) throws UsageException {
        Optional<String> file = get(DATABASE);
        Optional<String> url = get(URL);
        if (file.isPresent() && url.isPresent()) {
            if (given.contains(DATABASE) == given.contains(URL)) {
                throw new UsageException("Give either --database or --url, not both");
            }
            // One came from the command line and one from the environment: the command line wins.
            if (given.contains(DATABASE)) {
                url = Optional.empty();
            }
        }
        if (url.isPresent()) {
            return new Target(url.get(), url.get(), true);
        }
        if (file.isEmpty()) {
            throw new UsageException("No database: give --database FILE (or LOCKSTEP_DATABASE) or --url JDBC_URL");
        }
        Path path = Path.of(file.get()).toAbsolutePath().normalize();
        Path folder = path.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException("Folder [" + folder + "] of database [" + file.get() + "] does not exist;"
                    + " Lockstep does not create folders");
        }
        if (Files.isDirectory(path)) {
            throw new UsageException("Database [" + file.get() + "] is a folder, not a file");
        }
        boolean exists = Files.exists(path);
        if (!exists && !mayCreate) {
            // Reading the status of a database that does not exist yet must not create it.
            return new Target("jdbc:sqlite::memory:", file.get(), false);
        }
        return new Target("jdbc:sqlite:" + path, file.get(), exists);
    }

    /** Where the database is: the URL to open, the name to show, whether it exists. */
    record Target(String url, String shown, boolean exists) {
    }

    MigrationConfig.Builder config(Target target) throws UsageException {
        Path migrations = Path.of(get(MIGRATIONS).orElseThrow(() -> new UsageException(
                "No migrations folder: give --migrations DIR (or LOCKSTEP_MIGRATIONS)")));
        MigrationConfig.Builder builder = MigrationConfig.builder().url(target.url()).location(migrations);
        get(HISTORY_TABLE).ifPresent(builder::historyTable);
        if (get(LOCK_TIMEOUT).isPresent()) {
            Duration timeout = Durations.parse(LOCK_TIMEOUT.name(), get(LOCK_TIMEOUT).get());
            builder.lockTimeout(timeout);
        }
        get(OWNER).ifPresent(builder::owner);
        if (has(PER_MIGRATION)) {
            builder.transactionMode(TransactionMode.PER_MIGRATION);
        }
        builder.outOfOrder(has(OUT_OF_ORDER));
        return builder;
    }
}

package org.lockstep;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.lockstep.internal.jdbc.JdbcUrl;

/**
 * Everything a {@link Migrator} needs: where the database is (SQLite or PostgreSQL), where
 * the scripts are, and how to apply them. Immutable and thread-safe; build one with {@link #builder()} and
 * derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * MigrationConfig config = MigrationConfig.builder()
 *         .url("jdbc:sqlite:app.db")
 *         .location(Path.of("db/migrations"))
 *         .build();
 * MigrateResult result = Migrator.create(config).migrate();
 * }</pre>
 */
public final class MigrationConfig {
    /** The default history table name. */
    public static final String DEFAULT_HISTORY_TABLE = "schema_migrations";
    /** The default total time to wait for the migration lock: 120 seconds. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(120);
    /** The default time a recorded failure of a script stops other workers running it again: 10 minutes. */
    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofMinutes(10);

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final DataSource dataSource;
    private final String dataSourceName;
    private final String url;
    private final String user;
    private final String password;
    private final List<MigrationLocation> locations;
    private final String historyTable;
    private final String historySchema;
    private final TransactionMode transactionMode;
    private final boolean validateOnMigrate;
    private final boolean outOfOrder;
    private final boolean failOnFuture;
    private final Duration lockTimeout;
    private final int maxLockAttempts;
    private final Clock clock;
    private final String owner;
    private final MigrationVersion target;
    private final MigrationListener listener;
    private final boolean retryFailed;
    private final Duration failureWindow;
    private final List<JavaMigration> javaMigrations;
    private final List<ConnectionInitializer> connectionInitializers;
    private final ModuleLayer serviceLayer;
    private final ClassLoader serviceLoader;

    private MigrationConfig(Builder builder) {
        this.dataSource = builder.dataSource;
        this.dataSourceName = builder.dataSourceName;
        this.url = builder.url;
        this.user = builder.user;
        this.password = builder.password;
        this.locations = List.copyOf(builder.locations);
        this.historyTable = builder.historyTable;
        this.historySchema = builder.historySchema;
        this.transactionMode = builder.transactionMode;
        this.validateOnMigrate = builder.validateOnMigrate;
        this.outOfOrder = builder.outOfOrder;
        this.failOnFuture = builder.failOnFuture;
        this.lockTimeout = builder.lockTimeout;
        this.maxLockAttempts = builder.maxLockAttempts;
        this.clock = builder.clock;
        this.owner = builder.owner;
        this.target = builder.target;
        this.listener = builder.listener;
        this.retryFailed = builder.retryFailed;
        this.failureWindow = builder.failureWindow;
        this.javaMigrations = List.copyOf(builder.javaMigrations);
        this.connectionInitializers = List.copyOf(builder.connectionInitializers);
        this.serviceLayer = builder.serviceLayer;
        this.serviceLoader = builder.serviceLoader;
    }

    /** Returns a builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this configuration's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns the data source connections come from, if one was given instead of a URL. */
    public Optional<DataSource> dataSource() {
        return Optional.ofNullable(dataSource);
    }

    /** Returns the JDBC URL connections are opened with, if one was given instead of a data source. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /**
     * Returns the user connections through {@link #url()} are opened as, if given apart from the
     * URL. The password given with it has no accessor and appears in no message.
     */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    // For Migrator only: never shown.
    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * Returns the name given to the data source for messages, if one was given with
     * {@link Builder#dataSource(DataSource, String)}.
     */
    public Optional<String> dataSourceName() {
        return Optional.ofNullable(dataSourceName);
    }

    /**
     * Returns the database as it may be shown in messages and reports before any connection is
     * opened: the JDBC URL with any password in it masked ({@code password=***}), or the data
     * source's name if one was given, else its class's simple name. (Once a connection is
     * open, messages name a data source without a name by the URL its driver reports.)
     */
    public String describeDatabase() {
        if (url != null) {
            return JdbcUrl.redact(url);
        }
        return dataSourceName != null ? dataSourceName : dataSource.getClass().getSimpleName();
    }

    /**
     * Returns where scripts are found, in the order they were added. Empty for a configuration
     * that only inspects a database ({@link Migrator#inspect()}); the verbs that read scripts
     * refuse it.
     */
    public List<MigrationLocation> locations() {
        return locations;
    }

    /** Returns the history table's name; default {@value #DEFAULT_HISTORY_TABLE}. */
    public String historyTable() {
        return historyTable;
    }

    /**
     * Returns the schema the history table is fixed to, if given (PostgreSQL). By default the
     * history is the first table of its name in a schema on the connection's
     * {@code search_path}, as PostgreSQL resolves an unqualified name, and a new one goes into
     * {@code current_schema()}: once created it stays where it is whatever the path becomes.
     */
    public Optional<String> historySchema() {
        return Optional.ofNullable(historySchema);
    }

    /** Returns how pending migrations are grouped into transactions; default {@link TransactionMode#ALL_PENDING}. */
    public TransactionMode transactionMode() {
        return transactionMode;
    }

    /** Returns whether {@code migrate()} validates before it applies anything; default true. */
    public boolean validateOnMigrate() {
        return validateOnMigrate;
    }

    /** Returns whether a pending version lower than the highest applied one may be applied; default false. */
    public boolean outOfOrder() {
        return outOfOrder;
    }

    /**
     * Returns whether an applied version above every script's version (a {@link MigrationState#FUTURE}
     * one, which a newer release applied) fails validation; default false, so that the workers
     * of an older release keep starting during a rolling deploy.
     */
    public boolean failOnFuture() {
        return failOnFuture;
    }

    /** Returns the total time {@code migrate()} waits for the migration lock; default 120 seconds. */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /**
     * Returns the most times {@code migrate()} tries to take the lock; default
     * {@link Integer#MAX_VALUE}, which leaves the lock timeout as the only bound.
     */
    public int maxLockAttempts() {
        return maxLockAttempts;
    }

    /** Returns the clock that stamps history rows and measures waits; default {@link Clock#systemUTC()}. */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns who this process is in the history table, if given. By default each
     * {@link Migrator} names itself {@code pid@host}, and {@code pid@host#n} for the n-th
     * Migrator of a process that creates several, so that no two share a name
     * ({@link Migrator#owner()}).
     */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /**
     * Returns the highest version {@code migrate()} applies, if limited; by default every
     * pending migration is applied.
     */
    public Optional<MigrationVersion> target() {
        return Optional.ofNullable(target);
    }

    /** Returns the listener that hears about progress; default {@link MigrationListener#NONE}. */
    public MigrationListener listener() {
        return listener;
    }

    /**
     * Returns whether {@code migrate()} runs a script again although another worker's failed
     * attempt at it, unchanged, is recorded within the {@link #failureWindow()}; default false: it
     * fails at once with the recorded error ({@link MigrationFailedException#failedFirstBy()}).
     */
    public boolean retryFailed() {
        return retryFailed;
    }

    /**
     * Returns how long a recorded failure of a script stops other workers from running the same,
     * unchanged script again (they fail at once with the recorded error instead); default
     * {@link #DEFAULT_FAILURE_WINDOW 10 minutes}. {@link Duration#ZERO} turns the record off: no
     * failure is written (a failed deploy then leaves the database byte for byte as it was) and
     * none is looked for. A changed script, or one of the scripts before it in the same deploy
     * changed, runs again at once; so does any script with {@link #retryFailed()}.
     */
    public Duration failureWindow() {
        return failureWindow;
    }

    /**
     * Returns the Java migrations handed to the builder, in the order given; default none.
     * Those found as services ({@link #serviceLayer()}, {@link #serviceClassLoader()}) are not
     * among them.
     */
    public List<JavaMigration> javaMigrations() {
        return javaMigrations;
    }

    /** Returns the connection initializers handed to the builder, in the order given; default none. */
    public List<ConnectionInitializer> connectionInitializers() {
        return connectionInitializers;
    }

    /**
     * Returns the module layer searched for {@link JavaMigration} and
     * {@link ConnectionInitializer} services, if one was given; default none: no layer is searched.
     */
    public Optional<ModuleLayer> serviceLayer() {
        return Optional.ofNullable(serviceLayer);
    }

    /**
     * Returns the class loader searched for {@link JavaMigration} and
     * {@link ConnectionInitializer} services ({@code META-INF/services} on its class path), if one
     * was given; default none: no class loader is searched.
     */
    public Optional<ClassLoader> serviceClassLoader() {
        return Optional.ofNullable(serviceLoader);
    }

    /**
     * Returns a JDBC URL as Lockstep shows it in every message and report: with the value of
     * every parameter whose name says it is a secret ({@code password}, {@code sslpassword},
     * {@code token}...) and the password of a {@code user:password@} part masked as {@code ***}.
     *
     * @param url a JDBC URL
     * @return the URL, safe to show
     */
    public static String describeUrl(String url) {
        return JdbcUrl.redact(Objects.requireNonNull(url, "url"));
    }

    /**
     * Two configurations are equal when every setting is: the same URL and credentials or the
     * same data source, equal locations, and equal or identical clock and listener.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof MigrationConfig that)) {
            return false;
        }
        return Objects.equals(dataSource, that.dataSource)
                && Objects.equals(dataSourceName, that.dataSourceName)
                && Objects.equals(url, that.url)
                && Objects.equals(user, that.user)
                && Objects.equals(password, that.password)
                && locations.equals(that.locations)
                && historyTable.equals(that.historyTable)
                && Objects.equals(historySchema, that.historySchema)
                && transactionMode == that.transactionMode
                && validateOnMigrate == that.validateOnMigrate
                && outOfOrder == that.outOfOrder
                && failOnFuture == that.failOnFuture
                && lockTimeout.equals(that.lockTimeout)
                && maxLockAttempts == that.maxLockAttempts
                && clock.equals(that.clock)
                && Objects.equals(owner, that.owner)
                && Objects.equals(target, that.target)
                && listener.equals(that.listener)
                && retryFailed == that.retryFailed
                && failureWindow.equals(that.failureWindow)
                && javaMigrations.equals(that.javaMigrations)
                && connectionInitializers.equals(that.connectionInitializers)
                && serviceLayer == that.serviceLayer
                && serviceLoader == that.serviceLoader;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                dataSource, url, user, locations, historyTable, transactionMode, lockTimeout, owner, target);
    }

    @Override
    public String toString() {
        return "MigrationConfig[database=" + describeDatabase()
                + (user != null ? ", user=" + user : "")
                + ", locations="
                + locations.stream().map(MigrationLocation::describe).toList()
                + ", historyTable=" + (historySchema != null ? historySchema + "." : "") + historyTable
                + ", transactionMode=" + transactionMode
                + ", validateOnMigrate=" + validateOnMigrate + ", outOfOrder=" + outOfOrder
                + ", failOnFuture=" + failOnFuture
                + ", lockTimeout=" + lockTimeout + ", maxLockAttempts=" + maxLockAttempts
                + ", owner=" + owner + ", target=" + target
                + ", retryFailed=" + retryFailed + ", failureWindow=" + failureWindow
                + (javaMigrations.isEmpty()
                        ? ""
                        : ", javaMigrations="
                                + javaMigrations.stream()
                                        .map(m -> m.getClass().getName())
                                        .toList())
                + (serviceLayer != null ? ", serviceLayer=" + serviceLayer : "")
                + (serviceLoader != null ? ", serviceClassLoader=" + serviceLoader : "")
                + "]";
    }

    /**
     * Builds a {@link MigrationConfig}. Not thread-safe. Exactly one of {@link #url(String)}
     * and {@link #dataSource(DataSource)} must be given; every verb but
     * {@link Migrator#inspect()} also needs a location. A setter refuses a bad value at once.
     */
    public static final class Builder {
        private DataSource dataSource;
        private String dataSourceName;
        private String url;
        private String user;
        private String password;
        private final List<MigrationLocation> locations = new ArrayList<>();
        private String historyTable = DEFAULT_HISTORY_TABLE;
        private String historySchema;
        private TransactionMode transactionMode = TransactionMode.ALL_PENDING;
        private boolean validateOnMigrate = true;
        private boolean outOfOrder;
        private boolean failOnFuture;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private int maxLockAttempts = Integer.MAX_VALUE;
        private Clock clock = Clock.systemUTC();
        private String owner;
        private MigrationVersion target;
        private boolean retryFailed;
        private Duration failureWindow = DEFAULT_FAILURE_WINDOW;
        private MigrationListener listener = MigrationListener.NONE;
        private final List<JavaMigration> javaMigrations = new ArrayList<>();
        private final List<ConnectionInitializer> connectionInitializers = new ArrayList<>();
        private ModuleLayer serviceLayer;
        private ClassLoader serviceLoader;

        private Builder() {}

        private Builder(MigrationConfig config) {
            this.dataSource = config.dataSource;
            this.dataSourceName = config.dataSourceName;
            this.url = config.url;
            this.user = config.user;
            this.password = config.password;
            this.locations.addAll(config.locations);
            this.historyTable = config.historyTable;
            this.historySchema = config.historySchema;
            this.transactionMode = config.transactionMode;
            this.validateOnMigrate = config.validateOnMigrate;
            this.outOfOrder = config.outOfOrder;
            this.failOnFuture = config.failOnFuture;
            this.lockTimeout = config.lockTimeout;
            this.maxLockAttempts = config.maxLockAttempts;
            this.clock = config.clock;
            this.owner = config.owner;
            this.target = config.target;
            this.listener = config.listener;
            this.retryFailed = config.retryFailed;
            this.failureWindow = config.failureWindow;
            this.javaMigrations.addAll(config.javaMigrations);
            this.connectionInitializers.addAll(config.connectionInitializers);
            this.serviceLayer = config.serviceLayer;
            this.serviceLoader = config.serviceLoader;
        }

        /**
         * Opens connections with this JDBC URL through {@link java.sql.DriverManager};
         * replaces a data source given before.
         *
         * @param url a JDBC URL such as {@code jdbc:sqlite:app.db} or {@code jdbc:postgresql://host/db}
         * @return this builder
         * @throws IllegalArgumentException if it does not start with {@code jdbc:}
         */
        public Builder url(String url) {
            if (!Objects.requireNonNull(url, "url").startsWith("jdbc:")) {
                throw new IllegalArgumentException("URL [" + JdbcUrl.redact(url) + "] is not a JDBC URL: it must start"
                        + " with jdbc:, e.g. jdbc:sqlite:app.db or jdbc:postgresql://host/db");
            }
            this.url = url;
            this.user = null;
            this.password = null;
            this.dataSource = null;
            this.dataSourceName = null;
            return this;
        }

        /**
         * Opens connections with this JDBC URL through {@link java.sql.DriverManager}, as this
         * user with this password (the driver's {@code user} and {@code password} properties),
         * so the password need not be part of the URL; replaces a URL or data source given
         * before. The password is never shown: not by {@link MigrationConfig#toString()}, not in
         * any message. Passwords inside a URL are masked in messages too.
         *
         * @param url a JDBC URL such as {@code jdbc:postgresql://db.internal/app}
         * @param user the database user; empty to leave it to the URL
         * @param password the password; empty to send none
         * @return this builder
         */
        public Builder url(String url, String user, String password) {
            url(url);
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Takes connections from this data source, one per lock attempt; replaces a URL given
         * before. Connections are returned with their settings as they were found.
         *
         * @param dataSource the data source
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.dataSourceName = null;
            this.url = null;
            this.user = null;
            this.password = null;
            return this;
        }

        /**
         * Takes connections from this data source, and calls it {@code name} in every message
         * and report (a data source's {@code toString()} is rarely meant for people); replaces a
         * URL given before.
         *
         * @param dataSource the data source
         * @param name what to call the database, e.g. {@code orders (primary)}; must not be blank
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource, String name) {
            dataSource(dataSource);
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("Data source name is blank");
            }
            this.dataSourceName = name;
            return this;
        }

        /**
         * Adds a folder of scripts on the file system.
         *
         * @param directory the folder
         * @return this builder
         */
        public Builder location(Path directory) {
            return location(new MigrationLocation.Directory(directory));
        }

        /**
         * Replaces every location given so far with these, in order; an empty list leaves none.
         *
         * @param locations the locations
         * @return this builder
         */
        public Builder locations(List<MigrationLocation> locations) {
            List<MigrationLocation> copy = List.copyOf(Objects.requireNonNull(locations, "locations"));
            this.locations.clear();
            this.locations.addAll(copy);
            return this;
        }

        /**
         * Adds a location of scripts. Versions must be unique across all locations.
         *
         * @param location the location
         * @return this builder
         */
        public Builder location(MigrationLocation location) {
            locations.add(Objects.requireNonNull(location, "location"));
            return this;
        }

        /**
         * Sets the history table's name: letters, digits and underscores, not starting with
         * a digit. Default {@value MigrationConfig#DEFAULT_HISTORY_TABLE}.
         *
         * @param historyTable the name
         * @return this builder
         * @throws IllegalArgumentException if it is not such a name
         */
        public Builder historyTable(String historyTable) {
            if (!TABLE_NAME
                    .matcher(Objects.requireNonNull(historyTable, "historyTable"))
                    .matches()) {
                throw new IllegalArgumentException("History table name [" + historyTable
                        + "] must be letters, digits and underscores, not starting with a digit");
            }
            this.historyTable = historyTable;
            return this;
        }

        /**
         * Fixes the history table to a schema (PostgreSQL; for SQLite only {@code main} is
         * allowed), instead of finding it on the {@code search_path}: for a role whose path
         * changes, or two histories of one name on the path. The name is folded to lower case
         * as PostgreSQL folds unquoted names.
         *
         * @param historySchema letters, digits and underscores, not starting with a digit
         * @return this builder
         * @throws IllegalArgumentException if it is not such a name
         */
        public Builder historySchema(String historySchema) {
            if (!TABLE_NAME
                    .matcher(Objects.requireNonNull(historySchema, "historySchema"))
                    .matches()) {
                throw new IllegalArgumentException("History schema [" + historySchema
                        + "] must be letters, digits and underscores, not starting with a digit");
            }
            this.historySchema = historySchema;
            return this;
        }

        /**
         * Sets how pending migrations are grouped into transactions. Default
         * {@link TransactionMode#ALL_PENDING}.
         *
         * @param transactionMode the mode
         * @return this builder
         */
        public Builder transactionMode(TransactionMode transactionMode) {
            this.transactionMode = Objects.requireNonNull(transactionMode, "transactionMode");
            return this;
        }

        /**
         * Sets whether {@code migrate()} validates before applying anything. Default true.
         *
         * @param validateOnMigrate whether to validate
         * @return this builder
         */
        public Builder validateOnMigrate(boolean validateOnMigrate) {
            this.validateOnMigrate = validateOnMigrate;
            return this;
        }

        /**
         * Sets whether a pending version lower than the highest applied one may be applied.
         * Default false: such a version fails validation.
         *
         * @param outOfOrder whether to allow it
         * @return this builder
         */
        public Builder outOfOrder(boolean outOfOrder) {
            this.outOfOrder = outOfOrder;
            return this;
        }

        /**
         * Sets whether an applied version above every script's version fails validation.
         * Default false: such a {@link MigrationState#FUTURE} version, applied by a newer
         * release, is logged and reported, and the older release's workers keep starting.
         *
         * @param failOnFuture whether to fail
         * @return this builder
         */
        public Builder failOnFuture(boolean failOnFuture) {
            this.failOnFuture = failOnFuture;
            return this;
        }

        /**
         * Sets the total time {@code migrate()} waits for the migration lock before it throws
         * {@link LockTimeoutException}. Default 120 seconds.
         *
         * @param lockTimeout a duration, zero or positive
         * @return this builder
         * @throws IllegalArgumentException if it is negative
         */
        public Builder lockTimeout(Duration lockTimeout) {
            if (Objects.requireNonNull(lockTimeout, "lockTimeout").isNegative()) {
                throw new IllegalArgumentException("Lock timeout [" + lockTimeout + "] is negative");
            }
            this.lockTimeout = lockTimeout;
            return this;
        }

        /**
         * Sets the most times {@code migrate()} tries to take the lock. Default
         * {@link Integer#MAX_VALUE}: the lock timeout alone bounds the wait.
         *
         * @param maxLockAttempts at least 1
         * @return this builder
         * @throws IllegalArgumentException if it is less than 1
         */
        public Builder maxLockAttempts(int maxLockAttempts) {
            if (maxLockAttempts < 1) {
                throw new IllegalArgumentException("Max lock attempts [" + maxLockAttempts + "] is less than 1");
            }
            this.maxLockAttempts = maxLockAttempts;
            return this;
        }

        /**
         * Sets the clock that stamps history rows and measures waits. Default
         * {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets who this process is, as recorded in the history table's {@code applied_by}
         * column and reported to the losers of a race. Default: each {@link Migrator} names
         * itself {@code pid@host}, with {@code #n} added for the n-th Migrator of a process.
         *
         * @param owner a non-blank name of at most 200 characters
         * @return this builder
         * @throws IllegalArgumentException if it is blank or longer
         */
        public Builder owner(String owner) {
            if (Objects.requireNonNull(owner, "owner").isBlank() || owner.length() > 200) {
                throw new IllegalArgumentException("Owner [" + owner + "] is blank or longer than 200 characters");
            }
            this.owner = owner;
            return this;
        }

        /**
         * Limits {@code migrate()} to pending migrations up to and including this version, for
         * staged deploys. Validation still covers every script.
         *
         * @param target the highest version to apply
         * @return this builder
         */
        public Builder target(MigrationVersion target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * Applies every pending migration again (the default), undoing {@link #target}.
         *
         * @return this builder
         */
        public Builder noTarget() {
            this.target = null;
            return this;
        }

        /**
         * Sets the listener that hears about lock waits and statement progress. Default
         * {@link MigrationListener#NONE}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets whether {@code migrate()} runs a script again although another worker's failed
         * attempt at it, unchanged, is recorded within the failure window. Default false: such a
         * worker fails at once with the recorded error, naming who failed first, instead of
         * taking the lock to run the deploy again only to fail the same way.
         *
         * @param retryFailed whether to run such a script again
         * @return this builder
         */
        public Builder retryFailed(boolean retryFailed) {
            this.retryFailed = retryFailed;
            return this;
        }

        /**
         * Adds a Java migration, for an application that makes its own instances (a
         * dependency-injection container). It runs among the scripts by its version; a version
         * that a script or another Java migration has too is refused by every verb before the
         * database is opened ({@link InvalidScriptException}).
         *
         * @param migration the migration
         * @return this builder
         */
        public Builder javaMigration(JavaMigration migration) {
            javaMigrations.add(Objects.requireNonNull(migration, "migration"));
            return this;
        }

        /**
         * Sets how long a recorded failure of a script stops other workers from running it again
         * unchanged. Default {@link MigrationConfig#DEFAULT_FAILURE_WINDOW 10 minutes}; zero turns
         * the record off: no failure is written, and none is looked for.
         *
         * @param failureWindow a duration, zero or positive
         * @return this builder
         * @throws IllegalArgumentException if it is negative
         */
        public Builder failureWindow(Duration failureWindow) {
            if (Objects.requireNonNull(failureWindow, "failureWindow").isNegative()) {
                throw new IllegalArgumentException("Failure window [" + failureWindow + "] is negative");
            }
            this.failureWindow = failureWindow;
            return this;
        }

        /**
         * Replaces the Java migrations handed to the builder; default none.
         *
         * @param migrations the migrations
         * @return this builder
         */
        public Builder javaMigrations(List<JavaMigration> migrations) {
            List<JavaMigration> copy = List.copyOf(Objects.requireNonNull(migrations, "migrations"));
            javaMigrations.clear();
            javaMigrations.addAll(copy);
            return this;
        }

        /**
         * Adds a hook that prepares every connection Lockstep opens, before Lockstep uses it
         * (see {@link ConnectionInitializer}); default none.
         *
         * @param initializer the hook
         * @return this builder
         */
        public Builder connectionInitializer(ConnectionInitializer initializer) {
            connectionInitializers.add(Objects.requireNonNull(initializer, "initializer"));
            return this;
        }

        /**
         * Searches this module layer for {@link JavaMigration} and {@link ConnectionInitializer}
         * services: those its modules (and its parents' modules) provide with {@code provides
         * org.lockstep.JavaMigration with ...;}. Replaces a class loader given before. Default: no
         * search. A modular application passes its own layer, e.g.
         * {@code MyApp.class.getModule().getLayer()}, or {@link ModuleLayer#boot()}.
         *
         * @param layer the layer
         * @return this builder
         */
        public Builder services(ModuleLayer layer) {
            this.serviceLayer = Objects.requireNonNull(layer, "layer");
            this.serviceLoader = null;
            return this;
        }

        /**
         * Searches this class loader for {@link JavaMigration} and {@link ConnectionInitializer}
         * services: those listed in {@code META-INF/services/org.lockstep.JavaMigration} (and
         * {@code ...ConnectionInitializer}) on its class path, and those of the named modules it
         * defines. Replaces a module layer given before. Default: no search.
         *
         * @param loader the class loader
         * @return this builder
         */
        public Builder services(ClassLoader loader) {
            this.serviceLoader = Objects.requireNonNull(loader, "loader");
            this.serviceLayer = null;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalStateException if neither a URL nor a data source was given (every
         *     other setting is checked by its setter)
         */
        public MigrationConfig build() {
            if (url == null && dataSource == null) {
                throw new IllegalStateException("Neither a JDBC URL nor a DataSource was given");
            }
            return new MigrationConfig(this);
        }
    }
}

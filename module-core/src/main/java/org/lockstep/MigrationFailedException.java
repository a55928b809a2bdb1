package org.lockstep;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A migration failed: a statement of its script, a {@link JavaMigration}'s code, or the
 * integrity check of what it left. The transaction was rolled back: nothing of it remains in
 * the database.
 *
 * <p>The worker that ran the failing migration records the failed attempt (in a table beside
 * the history, {@code <history table>_failures}) after the rollback, while it still holds the
 * lock. A worker that then finds the same migration pending, unchanged, fails at once with this
 * exception instead of running it again: {@link #failedFirstBy()} names who ran it.
 */
public final class MigrationFailedException extends LockstepException {
    private static final long serialVersionUID = 1L;

    private final MigrationVersion version; // null for a repeatable migration
    private final String script;
    private final int line;
    private final String statementExcerpt;
    private final String sqlState;
    private final int errorCode;
    private final String failedFirstBy;
    private final Instant failedFirstAt;

    /**
     * Creates the exception; the message is built from the fields.
     *
     * @param version the failing migration's version
     * @param script the script's file name
     * @param line the line (1-based) where the failing statement starts
     * @param statementExcerpt the start of the failing statement
     * @param cause the database's error
     */
    public MigrationFailedException(
            MigrationVersion version, String script, int line, String statementExcerpt, SQLException cause) {
        this(Optional.of(Objects.requireNonNull(version, "version")), script, line, statementExcerpt, cause);
    }

    /**
     * Creates the exception for a failing statement of a versioned or repeatable script; the
     * message is built from the fields.
     *
     * @param version the failing migration's version; empty for a repeatable migration
     * @param script the script's file name
     * @param line the line (1-based) where the failing statement starts
     * @param statementExcerpt the start of the failing statement
     * @param cause the database's error
     */
    public MigrationFailedException(
            Optional<MigrationVersion> version, String script, int line, String statementExcerpt, SQLException cause) {
        super(
                named(version, script) + " failed in [" + script + "] at line [" + line + "]: " + cause.getMessage()
                        + " -- statement: " + statementExcerpt,
                cause);
        this.version = version.orElse(null);
        this.script = Objects.requireNonNull(script, "script");
        this.line = line;
        this.statementExcerpt = Objects.requireNonNull(statementExcerpt, "statementExcerpt");
        this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
        this.errorCode = cause.getErrorCode();
        this.failedFirstBy = null;
        this.failedFirstAt = null;
    }

    /**
     * Creates the exception for a migration whose statements all ran but whose result breaks
     * an integrity rule checked before commit, such as foreign keys; {@link #line()} is 0.
     *
     * @param version the failing migration's version
     * @param script the script's file name
     * @param problem what is wrong, naming tables and rows
     * @param cause the database's error
     */
    public MigrationFailedException(MigrationVersion version, String script, String problem, SQLException cause) {
        this(Optional.of(Objects.requireNonNull(version, "version")), script, problem, cause);
    }

    /**
     * Creates the exception for a migration whose statements all ran but whose result breaks
     * an integrity rule checked before commit, such as foreign keys; {@link #line()} is 0.
     *
     * @param version the failing migration's version; empty for a repeatable migration
     * @param script the script's file name
     * @param problem what is wrong, naming tables and rows
     * @param cause the database's error
     */
    public MigrationFailedException(
            Optional<MigrationVersion> version, String script, String problem, SQLException cause) {
        super(
                named(version, script) + " in [" + script + "] failed its integrity check before commit: " + problem,
                cause);
        this.version = version.orElse(null);
        this.script = Objects.requireNonNull(script, "script");
        this.line = 0;
        this.statementExcerpt = "";
        this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
        this.errorCode = cause.getErrorCode();
        this.failedFirstBy = null;
        this.failedFirstAt = null;
    }

    /**
     * Creates the exception for a worker that did not run the script because another worker's
     * failed attempt with the same script is recorded; the message is the recorded one, then
     * who failed first and when.
     *
     * @param version the failing migration's version
     * @param script the script's file name
     * @param line the line of the failing statement, or 0 for an integrity check
     * @param statementExcerpt the start of the failing statement, or empty
     * @param sqlState the recorded SQLState, or empty
     * @param errorCode the recorded vendor error code
     * @param recordedMessage the message of the recorded failure
     * @param failedFirstBy who ran the script and failed
     * @param failedFirstAt when
     * @param retryHint how to run the script again anyway, for the message
     */
    public MigrationFailedException(
            MigrationVersion version,
            String script,
            int line,
            String statementExcerpt,
            String sqlState,
            int errorCode,
            String recordedMessage,
            String failedFirstBy,
            Instant failedFirstAt,
            String retryHint) {
        super(
                recordedMessage + " [failed first by [" + failedFirstBy + "] at [" + failedFirstAt
                        + "]; not run again by this worker: the script, and every script before it in the deploy,"
                        + " is unchanged since. " + retryHint + "]",
                null);
        this.version = Objects.requireNonNull(version, "version");
        this.script = Objects.requireNonNull(script, "script");
        this.line = line;
        this.statementExcerpt = Objects.requireNonNull(statementExcerpt, "statementExcerpt");
        this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
        this.errorCode = errorCode;
        this.failedFirstBy = Objects.requireNonNull(failedFirstBy, "failedFirstBy");
        this.failedFirstAt = Objects.requireNonNull(failedFirstAt, "failedFirstAt");
    }

    /**
     * Creates the exception for a {@link JavaMigration} that threw, or broke a rule of the
     * connection it was given; {@link #line()} is 0, and the SQL state and error code are those
     * of the first {@link SQLException} among the causes, if any.
     *
     * @param version the failing migration's version
     * @param className the Java migration's class name
     * @param cause what it threw
     */
    public MigrationFailedException(MigrationVersion version, String className, Throwable cause) {
        super(
                "Migration [" + Objects.requireNonNull(version, "version") + "] failed in Java migration [" + className
                        + "]: " + cause,
                cause);
        this.version = version;
        this.script = Objects.requireNonNull(className, "className");
        this.line = 0;
        this.statementExcerpt = "";
        SQLException sql = null;
        for (Throwable t = cause; t != null && sql == null; t = t.getCause()) {
            sql = t instanceof SQLException e ? e : null;
        }
        this.sqlState = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        this.errorCode = sql == null ? 0 : sql.getErrorCode();
        this.failedFirstBy = null;
        this.failedFirstAt = null;
    }

    private static String named(Optional<MigrationVersion> version, String script) {
        Objects.requireNonNull(script, "script");
        return version.map(v -> "Migration [" + v + "]").orElse("Repeatable migration");
    }

    /** Returns the failing migration's version; empty for a repeatable migration. */
    public Optional<MigrationVersion> version() {
        return Optional.ofNullable(version);
    }

    /** Returns the script's file name, or the Java migration's class name. */
    public String script() {
        return script;
    }

    /**
     * Returns the line (1-based) where the failing statement starts in the script, or 0 when
     * the migration failed its integrity check after its last statement, or is a Java migration.
     */
    public int line() {
        return line;
    }

    /** Returns the start of the failing statement, on one line; empty for an integrity check or a Java migration. */
    public String statementExcerpt() {
        return statementExcerpt;
    }

    /** Returns the driver's SQLState, or an empty string if it gave none. */
    public String sqlState() {
        return sqlState;
    }

    /** Returns the driver's vendor error code (for SQLite: the result code). */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Returns who ran the script and failed, when this worker did not run it but found that
     * failure recorded (the same script, unchanged, failed within the configured
     * {@link MigrationConfig#failureWindow() failure window}); empty when this worker ran it.
     */
    public Optional<String> failedFirstBy() {
        return Optional.ofNullable(failedFirstBy);
    }

    /** Returns when the recorded failure happened; empty when this worker ran the script itself. */
    public Optional<Instant> failedFirstAt() {
        return Optional.ofNullable(failedFirstAt);
    }
}

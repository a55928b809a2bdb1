package org.lockstep;

import java.sql.SQLException;
import java.util.Objects;

/**
 * A statement of a migration script failed. The transaction was rolled back: nothing of
 * it remains in the database.
 */
public final class MigrationFailedException extends LockstepException {
    private static final long serialVersionUID = 1L;

    private final MigrationVersion version;
    private final String script;
    private final int line;
    private final String statementExcerpt;
    private final String sqlState;
    private final int errorCode;

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
        super(
                "Migration [" + version + "] failed in [" + script + "] at line [" + line + "]: " + cause.getMessage()
                        + " -- statement: " + statementExcerpt,
                cause);
        this.version = Objects.requireNonNull(version, "version");
        this.script = Objects.requireNonNull(script, "script");
        this.line = line;
        this.statementExcerpt = Objects.requireNonNull(statementExcerpt, "statementExcerpt");
        this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
        this.errorCode = cause.getErrorCode();
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
        super(
                "Migration [" + version + "] in [" + script + "] failed its integrity check before commit: " + problem,
                cause);
        this.version = Objects.requireNonNull(version, "version");
        this.script = Objects.requireNonNull(script, "script");
        this.line = 0;
        this.statementExcerpt = "";
        this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
        this.errorCode = cause.getErrorCode();
    }

    /** Returns the failing migration's version. */
    public MigrationVersion version() {
        return version;
    }

    /** Returns the script's file name. */
    public String script() {
        return script;
    }

    /**
     * Returns the line (1-based) where the failing statement starts in the script, or 0 when
     * the migration failed its integrity check after its last statement.
     */
    public int line() {
        return line;
    }

    /** Returns the start of the failing statement, on one line; empty for an integrity check. */
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
}

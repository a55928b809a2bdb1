package org.lockstep.cli;

import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.LockTimeoutException;
import org.lockstep.LockstepException;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.ValidationFailedException;

/**
 * The command's exit codes, and the one place that maps failures to them. A code says who is
 * at fault: the scripts (1), the person or program that ran the command (2), another
 * connection (3), the history (4), the environment (6), or Lockstep itself (7); or it reports
 * what a check found: lint findings (8), schema drift (9).
 */
enum ExitCode {
    /** Success. */
    OK(0, "success"),
    /** A migration failed and was rolled back. */
    MIGRATION_FAILED(1, "a migration failed (rolled back)"),
    /**
     * Something given was wrong: arguments, scripts, a file that is not a database, a history
     * table of another shape, a baseline that is not allowed, an unsupported database.
     */
    BAD_INPUT(2, "something given was wrong: arguments, scripts, a file that is not a database"),
    /** The migration lock was not acquired in time (or the wait was interrupted). */
    LOCK_NOT_ACQUIRED(3, "migration lock not acquired in time"),
    /**
     * Validation failed: the scripts and the history disagree, or (adopting) another tool's
     * history disagrees with the scripts or records a migration that failed.
     */
    VALIDATION_FAILED(4, "validation failed (for adopt also: the other tool's history records a failed migration)"),
    /** A check of demo, stress or bench failed: exactly-once, a worker's exit code, integrity, a benchmark. */
    CHECK_FAILED(5, "a demo, stress or bench check failed (exactly-once, worker exit, integrity)"),
    /**
     * The environment failed: the database cannot be reached or used (cannot be opened,
     * read-only, damaged, lost what was committed), or the command's own worker processes,
     * temporary files or folder locks failed.
     */
    ENVIRONMENT(
            6,
            "the environment failed: the database cannot be reached or used, or a process or file of the"
                    + " command failed"),
    /** An unexpected failure: a bug. One line by default; the stack trace with {@code --verbose}. */
    INTERNAL_ERROR(7, "an unexpected error inside Lockstep (a bug: the stack trace with --verbose)"),
    /** {@code lint} found a finding, not allowed by a comment, at or above {@code --fail-on}. */
    LINT_FINDINGS(8, "lint found a finding at or above --fail-on (default: an error)"),
    /** {@code drift} found the database's schema differs from what its applied scripts make. */
    DRIFT_FOUND(9, "drift found: the database's schema differs from what its applied scripts make");

    final int code;
    /** What the code means, for the help text. */
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    static ExitCode of(LockstepException failure) {
        if (failure instanceof MigrationFailedException) {
            return MIGRATION_FAILED;
        }
        if (failure instanceof LockTimeoutException || failure instanceof MigrationInterruptedException) {
            return LOCK_NOT_ACQUIRED;
        }
        if (failure instanceof ValidationFailedException) {
            return VALIDATION_FAILED;
        }
        if (failure instanceof InvalidScriptException) {
            return BAD_INPUT;
        }
        DatabaseException database = (DatabaseException) failure;
        switch (database.reason()) {
            case ADOPTION_BLOCKED:
                // The other tool's history records a failed migration: the history is at fault.
                return VALIDATION_FAILED;
            case NOT_A_DATABASE:
            case CREDENTIALS_REFUSED:
            case HISTORY_TABLE_SHAPE:
            case BASELINE_REFUSED:
            case ADOPTION_REFUSED:
            case UNSUPPORTED:
            case NO_DRIVER:
                return BAD_INPUT;
            default:
                return ENVIRONMENT;
        }
    }

    /** Returns the exit code with this number; for a code a subcommand returned. */
    static ExitCode ofCode(int code) {
        for (ExitCode exitCode : values()) {
            if (exitCode.code == code) {
                return exitCode;
            }
        }
        throw new IllegalArgumentException("No exit code " + code);
    }
}

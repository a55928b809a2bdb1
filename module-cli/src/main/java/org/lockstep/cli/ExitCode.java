package org.lockstep.cli;

import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.LockTimeoutException;
import org.lockstep.LockstepException;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.ValidationFailedException;

/** The command's exit codes, and the one place that maps failures to them. */
enum ExitCode {
    /** Success. */
    OK(0, "success"),
    /** A migration failed and was rolled back. */
    MIGRATION_FAILED(1, "a migration failed (rolled back)"),
    /** Bad arguments or bad input: scripts, folders, a file that is not a usable database. */
    BAD_INPUT(2, "bad arguments or bad input"),
    /** The migration lock was not acquired in time (or the wait was interrupted). */
    LOCK_NOT_ACQUIRED(3, "migration lock not acquired in time"),
    /** Validation failed. */
    VALIDATION_FAILED(4, "validation failed"),
    /** A check of demo or stress failed: exactly-once, a worker's exit code, or integrity. */
    CHECK_FAILED(5, "a demo, stress or bench check failed (exactly-once, worker exit, integrity)");

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
        if (failure instanceof InvalidScriptException || failure instanceof DatabaseException) {
            return BAD_INPUT;
        }
        throw new AssertionError("Unmapped failure " + failure.getClass());
    }
}

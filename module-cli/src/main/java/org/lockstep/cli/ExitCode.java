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
    OK(0),
    /** A migration failed and was rolled back. */
    MIGRATION_FAILED(1),
    /** Bad arguments or bad input: scripts, folders, a file that is not a usable database. */
    BAD_INPUT(2),
    /** The migration lock was not acquired in time (or the wait was interrupted). */
    LOCK_NOT_ACQUIRED(3),
    /** Validation failed. */
    VALIDATION_FAILED(4);

    final int code;

    ExitCode(int code) {
        this.code = code;
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

package org.lockstep;

/**
 * The root of every failure Lockstep reports. Each subtype carries structured fields as
 * well as a message that starts with what failed, then names the culprits in brackets.
 */
public abstract sealed class LockstepException extends RuntimeException
        permits MigrationFailedException,
                LockTimeoutException,
                MigrationInterruptedException,
                ValidationFailedException,
                InvalidScriptException,
                DatabaseException {

    private static final long serialVersionUID = 1L;

    LockstepException(String message, Throwable cause) {
        super(message, cause);
    }
}

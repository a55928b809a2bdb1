package org.lockstep.cli;

/**
 * Something around the command failed, not its input and not the database: a worker process
 * that would not start, a temporary file, the turn of {@code lockstep new}. Exit code 6.
 */
final class EnvironmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EnvironmentException(String message) {
        super(message);
    }

    EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}

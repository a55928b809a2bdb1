package org.lockstep.cli;

/** Bad arguments: the message says which and why. Exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

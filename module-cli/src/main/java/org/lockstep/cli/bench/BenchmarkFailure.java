package org.lockstep.cli.bench;

/** A benchmark saw something wrong (a worker failed, an invariant did not hold): its figures mean nothing. */
final class BenchmarkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what went wrong, with identifiers
     */
    BenchmarkFailure(String message) {
        super(message);
    }

    /**
     * Creates the failure with its cause.
     *
     * @param message what went wrong, with identifiers
     * @param cause why
     */
    BenchmarkFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Throws unless the condition holds.
     *
     * @param condition the invariant
     * @param message what it means when it does not hold
     */
    static void check(boolean condition, String message) {
        if (!condition) {
            throw new BenchmarkFailure(message);
        }
    }
}

package org.lockstep.internal.sim;

/** A property does not hold for a case; the harness shrinks the case and reports it. */
final class PropertyViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PropertyViolation(String message) {
        super(message, null, false, false);
    }
}

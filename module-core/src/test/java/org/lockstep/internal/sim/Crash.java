package org.lockstep.internal.sim;

/**
 * Thrown inside a simulated worker at the yield point where the scheduler kills it. An
 * {@link Error}, so the protocol's handlers (which catch SQLException and RuntimeException)
 * let it through, like a SIGKILL that no code observes.
 */
final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash() {
        super("simulated crash", null, false, false);
    }
}

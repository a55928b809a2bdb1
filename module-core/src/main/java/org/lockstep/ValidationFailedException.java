package org.lockstep;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The scripts and the history table disagree: an applied script changed, an applied
 * version has no script, or a pending version is lower than an applied one. Nothing was
 * applied.
 */
public final class ValidationFailedException extends LockstepException {
    private static final long serialVersionUID = 1L;

    private final List<ValidationProblem> problems;

    /**
     * Creates the exception.
     *
     * @param problems what is wrong; not empty
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public ValidationFailedException(List<ValidationProblem> problems) {
        super(message(problems), null);
        this.problems = List.copyOf(problems);
    }

    private static String message(List<ValidationProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        return "Validation failed with [" + problems.size() + "] problem" + (problems.size() == 1 ? "" : "s") + ": "
                + problems.stream().map(ValidationProblem::message).collect(Collectors.joining("; "));
    }

    /** Returns what is wrong, in version order. */
    public List<ValidationProblem> problems() {
        return problems;
    }
}

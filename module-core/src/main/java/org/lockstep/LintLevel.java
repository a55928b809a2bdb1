package org.lockstep;

/** How serious a {@link LintFinding} is. Declared from the least to the most serious. */
public enum LintLevel {
    /** The script is probably fine, but can break something: running code in a rolling deploy, or rows that exist only in production. */
    WARNING,
    /** The script is wrong, or will fail or lose something on a real database. */
    ERROR
}

package org.lockstep.internal.sql;

/** A script cannot be split into statements, e.g. because a string is never closed. */
public final class SqlSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    SqlSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    /** Returns the 1-based line where the problem starts. */
    public int line() {
        return line;
    }
}

package org.lockstep.internal.sql;

/** A statement a migration may not contain, where it stands in its script. */
public final class RefusedStatementException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient SqlStatement statement;
    private final String reason;

    RefusedStatementException(SqlStatement statement, String reason) {
        super(reason);
        this.statement = statement;
        this.reason = reason;
    }

    /** Returns the refused statement. */
    public SqlStatement statement() {
        return statement;
    }

    /** Returns why it is refused: a sentence that says what would be accepted, where anything would. */
    public String reason() {
        return reason;
    }
}

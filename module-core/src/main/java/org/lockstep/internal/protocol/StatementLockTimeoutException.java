package org.lockstep.internal.protocol;

import java.sql.SQLException;

/**
 * A script's statement waited for a lock another connection holds on something it uses (a
 * table, on PostgreSQL) until the bound the protocol gave the transaction ran out. The
 * migration lock was held, so this is not a failed migration but a wait: the protocol rolls
 * the deploy back and tries again within its lock timeout, or gives up naming the statement.
 */
public final class StatementLockTimeoutException extends SQLException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what waited, naming the statement
     * @param cause the database's error
     */
    public StatementLockTimeoutException(String message, SQLException cause) {
        super(message, cause.getSQLState(), cause.getErrorCode(), cause);
    }
}

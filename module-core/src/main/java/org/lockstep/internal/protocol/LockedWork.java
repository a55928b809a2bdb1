package org.lockstep.internal.protocol;

import java.sql.SQLException;

/**
 * Work done holding the migration lock, inside the lock's transaction, for a verb other than
 * migrate (adopting another tool's history): {@link MigrationProtocol#underLock} takes the lock
 * with the same bounded waits as migrate and commits or rolls back as the work says.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface LockedWork<T> {
    /**
     * Does the work. A busy error is retried on a new session; any other error, and any
     * exception, rolls the transaction back.
     *
     * @param session the session, holding the lock
     * @return what to return, and whether to commit
     * @throws SQLException on a database error
     */
    Outcome<T> run(Session session) throws SQLException;

    /**
     * What the work did.
     *
     * @param result what to return
     * @param commit whether to commit the transaction; false rolls it back
     * @param <T> what the work returns
     */
    record Outcome<T>(T result, boolean commit) {}
}

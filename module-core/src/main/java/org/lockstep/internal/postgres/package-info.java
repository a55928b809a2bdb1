/**
 * PostgreSQL behind the protocol's seam ({@link org.lockstep.internal.jdbc.Dialect}), for
 * workers on many hosts.
 *
 * <p>How PostgreSQL gives the protocol ({@link org.lockstep.internal.protocol.MigrationProtocol})
 * its three needs:
 * <ul>
 *   <li><b>A lock its holder's death releases.</b> A transaction-scoped advisory lock,
 *       {@code pg_try_advisory_xact_lock(key)}, taken as the first act of the transaction that
 *       applies the scripts and writes their history rows
 *       (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
 *       PostgreSQL releases it at COMMIT or ROLLBACK and when the session ends for any reason,
 *       including a client killed with SIGKILL (the server sees the socket close) and a
 *       terminated backend. The key is derived from the schema-qualified history table, so two
 *       applications sharing a database but not a history table do not serialise each other.
 *       It is tried, not waited for: {@code pg_advisory_xact_lock} would wait where Java
 *       cannot interrupt it, with a queue of waiters each holding a transaction open. A failed
 *       try rolls back and reports {@code 55P03}, which is busy, and the protocol polls.</li>
 *   <li><b>A consistent re-read under the lock.</b> The locked transaction runs at READ
 *       COMMITTED, set explicitly whatever {@code default_transaction_isolation} says: each
 *       statement takes a new snapshot after the lock is held, so the re-read sees every
 *       commit of the previous holder (visible before its locks are released). Under
 *       REPEATABLE READ the snapshot would be taken by the try-lock itself, possibly before the
 *       previous holder committed: the stale read that applies a migration twice. The same
 *       holds for where the history is: found through the search path when the connection
 *       opens, that answer can mix two moments (the catalog's schemas now, the tables in the
 *       statement's snapshot), so it is found again under the lock and the session moves to
 *       it, with that history's lock, if it differs.</li>
 *   <li><b>Transactional DDL.</b> The history table's CREATE, every script and every history
 *       row commit or roll back together; constraints are checked as statements run (or at
 *       COMMIT when deferred), so there is no integrity check to add.</li>
 * </ul>
 *
 * <p>Timeouts, all transaction-local so a pooled connection goes back unchanged:
 * {@code lock_timeout} bounds a read of the history (which could only wait behind an ACCESS
 * EXCLUSIVE lock on the table) and a script statement waiting for a table lock the application
 * holds. {@code statement_timeout} is left as the server and role set it: a long backfill is
 * legitimate. {@code client_connection_check_interval} (PostgreSQL 14+) makes the server notice
 * a killed client within a second even while a long statement runs. Errors are classified by
 * SQLState, never by message text.
 */
package org.lockstep.internal.postgres;

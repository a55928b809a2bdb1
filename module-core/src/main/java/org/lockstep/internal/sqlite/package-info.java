/**
 * SQLite behind the protocol's seam ({@link org.lockstep.internal.jdbc.Dialect}).
 *
 * <p>How SQLite gives the protocol ({@link org.lockstep.internal.protocol.MigrationProtocol})
 * its three needs:
 * <ul>
 *   <li><b>A lock its holder's death releases.</b> The lock is the database's own write lock:
 *       {@code BEGIN IMMEDIATE} takes the RESERVED lock at once
 *       (https://www.sqlite.org/lang_transaction.html), at most one connection holds it, and
 *       the operating system releases it when its holder's file is closed, which includes a
 *       holder killed with SIGKILL. A crash mid-transaction leaves a hot journal (or
 *       uncommitted WAL frames) that SQLite rolls back on the next read
 *       (https://www.sqlite.org/lockingv3.html#rollback, https://www.sqlite.org/wal.html).
 *       Never a deferred transaction that upgrades to a write: in WAL mode such an upgrade
 *       fails at once with {@code SQLITE_BUSY_SNAPSHOT} whatever the busy timeout, and in
 *       rollback mode two upgrading readers deadlock. The lock is tried with busy timeout 0,
 *       so it fails fast with {@code SQLITE_BUSY} and the protocol polls.</li>
 *   <li><b>A consistent re-read under the lock.</b> A transaction that holds the RESERVED lock
 *       reads the latest committed state: no other connection can have committed since.</li>
 *   <li><b>Transactional DDL.</b> SQLite's schema changes are part of the transaction, so
 *       scripts and history rows commit or roll back together. Foreign keys are the one rule
 *       not enforced while a deploy runs (a table rebuild would otherwise cascade-delete
 *       children); {@link org.lockstep.internal.sqlite.ForeignKeyCheck} checks what enforcement
 *       would have caught before the commit.</li>
 * </ul>
 *
 * <p>In rollback-journal modes a commit needs readers to let go of their shared locks; a busy
 * {@code COMMIT} leaves the transaction open and the protocol polls it. A database in memory
 * exists only while a connection to it is open, so it gets one connection, kept and lent
 * ({@link org.lockstep.internal.sqlite.PinnedConnectionSource}). Errors are classified by
 * SQLite's primary result code, never by message text.
 */
package org.lockstep.internal.sqlite;

package org.lockstep;

import java.util.Objects;

/**
 * Who holds the migration lock, as far as the operating system or the database server can
 * tell: on Linux, the process that holds SQLite's write lock on the database file (from
 * {@code /proc/locks}); on PostgreSQL, the server process (backend) of the session that holds
 * the advisory lock. Named so that a worker stuck while holding the lock (stopped with
 * {@code SIGSTOP}, on a hung file system, in a debugger) can be found.
 *
 * @param pid the process id: of the process that holds SQLite's file lock, or of the
 *     PostgreSQL backend that serves the holder's connection
 * @param description what that process is: its command line, or the PostgreSQL client's address
 *     and application name; may be empty
 * @param state what it is doing, e.g. {@code stopped (SIGSTOP or a debugger)} or
 *     {@code idle in transaction for [31 s]}; may be empty
 */
public record LockHolder(long pid, String description, String state) implements java.io.Serializable {
    /** Checks that no component is null. */
    public LockHolder {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(state, "state");
    }

    /**
     * Returns the holder in one line for messages: {@code process [4242] (stopped): java -m ...}.
     *
     * @return the description
     */
    public String describe() {
        return "process [" + pid + "]" + (state.isEmpty() ? "" : " (" + state + ")")
                + (description.isEmpty() ? "" : ": " + description);
    }
}

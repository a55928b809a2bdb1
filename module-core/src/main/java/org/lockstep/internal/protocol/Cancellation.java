package org.lockstep.internal.protocol;

/**
 * A request, from another thread, that one running call of the protocol stop: a call that waits
 * for the lock stops waiting (it looks between its short waits, so within one backoff step); a
 * call that applies migrations has its running statement cancelled through its session
 * ({@link Session#cancel()}) and stops before the next one; either rolls back what its open
 * transaction did and throws {@link org.lockstep.MigrationInterruptedException}.
 *
 * <p>Thread-safe: {@link #cancel()} may be called from any thread, any number of times; the
 * rest is called by the thread that runs the call.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private volatile Session running;

    /** Creates a request that has not been made yet. */
    public Cancellation() {}

    /** Asks the call to stop; cancels the statement its session runs now, if any. Returns at once. */
    public void cancel() {
        cancelled = true;
        Session session = running;
        if (session != null) {
            session.cancel();
        }
    }

    /** Returns whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Tells which session the call uses now, so that a cancel reaches its running statement;
     * a cancel that came first is passed on at once.
     *
     * @param session the session, or null when the call has none open
     */
    void attach(Session session) {
        running = session;
        if (session != null && cancelled) {
            session.cancel();
        }
    }
}

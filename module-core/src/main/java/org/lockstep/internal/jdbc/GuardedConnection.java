package org.lockstep.internal.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The deploy's connection as a Java migration gets it: everything works as on the connection
 * itself, except what would end or split the deploy's transaction, or let the migration do so.
 * The deploy commits once, with the history rows, after every migration of it ran; a commit in
 * between would publish half a deploy and give up the lock, a rollback would drop what earlier
 * migrations did, a savepoint rolled back to would leave the history lying. Each refused call
 * throws an {@link SQLException} (SQL state {@code 25000}, invalid transaction state) that says
 * why, and the refusal is remembered: the migration fails even if it swallows the exception.
 *
 * <p>{@code unwrap} is refused for the same reason (it would hand out the connection itself);
 * {@code isWrapperFor} answers false. SQL that ends the transaction ({@code COMMIT} as a
 * statement) is not intercepted here.
 */
public final class GuardedConnection implements InvocationHandler {
    private static final Map<String, String> REFUSED = Map.of(
            "commit", "Lockstep commits the deploy's transaction once, with the history, after every migration ran",
            "rollback", "Lockstep rolls the whole deploy back when a migration throws; throw instead",
            "setAutoCommit", "the migration runs inside the deploy's transaction, which must stay open",
            "setSavepoint", "a rollback to a savepoint would undo part of the deploy behind the history's back",
            "releaseSavepoint", "a rollback to a savepoint would undo part of the deploy behind the history's back",
            "close", "the connection is the deploy's: Lockstep closes it after the deploy",
            "abort", "the connection is the deploy's: Lockstep closes it after the deploy",
            "unwrap", "it would hand out the deploy's connection itself, which can commit",
            "setTransactionIsolation", "the deploy's transaction is already running");

    private final Connection connection;
    private final String migration;
    private volatile String broken;

    private GuardedConnection(Connection connection, String migration) {
        this.connection = connection;
        this.migration = migration;
    }

    /**
     * Wraps a connection.
     *
     * @param connection the deploy's connection
     * @param migration what to call the migration in messages, e.g. {@code Java migration [com.x.V7]}
     * @return the guard; {@link #connection()} is what the migration gets
     */
    public static GuardedConnection of(Connection connection, String migration) {
        return new GuardedConnection(connection, migration);
    }

    /** Returns the connection to hand to the migration. */
    public Connection connection() {
        return (Connection)
                Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
    }

    /** Returns the message of the first refused call, if the migration made one; else null. */
    public String broken() {
        return broken;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (method.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> migration + "'s guarded connection";
            };
        }
        if (name.equals("isWrapperFor")) {
            return false;
        }
        if (name.equals("isClosed")) {
            return connection.isClosed();
        }
        String why = REFUSED.get(name);
        if (why != null) {
            String message = migration + " may not call Connection." + name + "(): " + why;
            if (broken == null) {
                broken = message;
            }
            throw new SQLException(message, "25000");
        }
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

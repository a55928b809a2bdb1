package org.lockstep.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard's own answers, apart from the refusals the black-box Java-migration tests check:
 * identity, a name for logs, {@code isWrapperFor}, {@code isClosed} and every other call passed
 * through, and the first refusal remembered.
 */
final class GuardedConnectionTest {
    private final List<String> calls = new ArrayList<>();

    // The deploy's connection: records each call; closed, with schema "app".
    private Connection deploys() {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return switch (method.getName()) {
                        case "isClosed" -> true;
                        case "getSchema" -> "app";
                        case "createStatement" -> throw new SQLException("out of handles", "53000");
                        default -> null;
                    };
                });
    }

    @Test
    void theGuardHasItsOwnIdentityAndNameAndPassesOtherCallsThrough() throws SQLException {
        GuardedConnection guard = GuardedConnection.of(deploys(), "Java migration [com.example.V7]");
        Connection guarded = guard.connection();
        Connection other = guard.connection();

        assertEquals(guarded, guarded);
        assertNotEquals(guarded, other);
        assertEquals(System.identityHashCode(guarded), guarded.hashCode());
        assertEquals("Java migration [com.example.V7]'s guarded connection", guarded.toString());
        assertFalse(guarded.isWrapperFor(Connection.class), "would lead to unwrap, which is refused");
        assertTrue(guarded.isClosed());
        assertEquals("app", guarded.getSchema());
        SQLException thrown = assertThrows(SQLException.class, guarded::createStatement);
        assertEquals("53000", thrown.getSQLState(), "the connection's own exception, not a reflection wrapper");
        assertEquals(List.of("isClosed", "getSchema", "createStatement"), calls);
        assertNull(guard.broken());
    }

    @Test
    void theFirstRefusalIsRememberedEvenIfTheMigrationSwallowsIt() {
        GuardedConnection guard = GuardedConnection.of(deploys(), "Java migration [com.example.V7]");
        Connection guarded = guard.connection();

        SQLException commit = assertThrows(SQLException.class, guarded::commit);
        assertThrows(SQLException.class, guarded::rollback);

        assertEquals("25000", commit.getSQLState());
        assertEquals(commit.getMessage(), guard.broken());
        assertTrue(
                guard.broken().startsWith("Java migration [com.example.V7] may not call Connection.commit(): "),
                guard.broken());
        assertEquals(List.of(), calls, "a refused call never reaches the connection");
    }
}

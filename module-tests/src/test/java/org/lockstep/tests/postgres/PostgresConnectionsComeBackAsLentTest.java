package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.ConnectionsOnly;
import org.lockstep.tests.fixture.OneConnectionPool;

/**
 * An application's pool lends Lockstep a PostgreSQL connection and gets it back as it lent
 * it: its auto-commit flag, and the session settings a script changed for the rest of the
 * session ({@code SET search_path}) put back and committed, so that a pool that rolls back on
 * return keeps them put back. A connection Lockstep asked for is closed when it is done.
 */
final class PostgresConnectionsComeBackAsLentTest extends PostgresCase {

    @ParameterizedTest(name = "lent with auto-commit {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(60)
    void aPooledConnectionComesBackWithItsAutoCommitAndItsSettings(boolean autoCommit) throws Exception {
        executeAsRole("CREATE SCHEMA other");
        script("001_t.sql", "CREATE TABLE public.t (x int);\n");
        // The last migration's setting: only the session's close can put it back.
        script(
                "002_elsewhere.sql",
                "SET search_path TO other;\nSET lock_timeout = '5s';\nCREATE TABLE here (x int);\n");
        try (Connection physical = connectAsRole()) {
            physical.setAutoCommit(autoCommit);
            String pathLent = show(physical, "search_path");
            String lockTimeoutLent = show(physical, "lock_timeout");
            if (!autoCommit) {
                physical.commit();
            }

            Migrator.create(config().dataSource(new OneConnectionPool(physical), "pool")
                            .build())
                    .migrate();

            assertEquals(autoCommit, physical.getAutoCommit(), "auto-commit as lent");
            if (!autoCommit) {
                physical.rollback(); // what a pool does when a connection comes back
            }
            assertEquals(pathLent, show(physical, "search_path"), "the script's search_path put back");
            assertEquals(lockTimeoutLent, show(physical, "lock_timeout"), "the script's lock_timeout put back too");
        }
        assertEquals(List.of("other.here"), tablesNamed("here"));
    }

    @Test
    @Timeout(60)
    void everyConnectionLockstepAskedForIsClosed() throws Exception {
        script("001_t.sql", "CREATE TABLE t (x int);\n");
        List<Connection> handedOut = new ArrayList<>();
        ConnectionsOnly source = new ConnectionsOnly() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = connectAsRole();
                handedOut.add(connection);
                return connection;
            }
        };

        Migrator.create(config().dataSource(source, "counted").build()).migrate();
        Migrator.create(config().dataSource(source, "counted").build()).migrate(); // up to date

        assertTrue(handedOut.size() >= 2, "connections asked for: " + handedOut.size());
        for (Connection connection : handedOut) {
            assertTrue(connection.isClosed(), "a connection was left open");
        }
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

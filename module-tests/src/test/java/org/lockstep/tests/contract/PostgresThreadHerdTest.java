package org.lockstep.tests.contract;

import java.nio.file.Path;
import java.sql.SQLException;
import org.lockstep.tests.fixture.PostgresServer;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link ThreadHerdContract} on PostgreSQL: a fresh database on the tests' server, password over TCP. */
final class PostgresThreadHerdTest extends ThreadHerdContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) throws SQLException {
        return PostgresServer.shared().freshDatabase();
    }
}

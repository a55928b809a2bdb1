package org.lockstep.tests.contract;

import java.nio.file.Path;
import java.sql.SQLException;
import org.lockstep.tests.fixture.PostgresServer;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link RepeatableContract} on PostgreSQL: a fresh database on the tests' server. */
final class PostgresRepeatableTest extends RepeatableContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) throws SQLException {
        return PostgresServer.shared().freshDatabase();
    }
}

package org.lockstep.tests.contract;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.lockstep.tests.fixture.PostgresServer;
import org.lockstep.tests.fixture.TestDatabase;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * {@link StuckHolderContract} on PostgreSQL: the stopped client's backend keeps the advisory
 * lock (its socket is alive), and {@code pg_locks} with {@code pg_stat_activity} name it.
 */
final class PostgresStuckHolderIT extends StuckHolderContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) throws SQLException {
        return PostgresServer.shared().freshDatabase();
    }

    @Override
    List<String> holderNamed(WorkerProcess holder) {
        return List.of("PostgreSQL backend for client 127.0.0.1:");
    }
}

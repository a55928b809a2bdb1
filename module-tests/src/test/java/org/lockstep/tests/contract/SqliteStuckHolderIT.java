package org.lockstep.tests.contract;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * {@link StuckHolderContract} on SQLite files in both lock shapes: the RESERVED byte of the
 * database file (DELETE) and the write lock of the {@code -shm} file (WAL), which Linux's
 * {@code /proc/locks} ties to the stopped process.
 */
@ParameterizedClass(name = "journal_mode={0}")
@ValueSource(strings = {"DELETE", "WAL"})
final class SqliteStuckHolderIT extends StuckHolderContract {
    @Parameter
    String journalMode;

    @Override
    TestDatabase newDatabase(Path folder, String name) throws SQLException {
        return SqliteDatabase.create(folder, name, journalMode);
    }

    @Override
    List<String> holderNamed(WorkerProcess holder) {
        return List.of("process [" + holder.process().pid() + "] (stopped", "--owner stuck");
    }
}

package org.lockstep.tests.contract;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link ThreadHerdContract} on SQLite files, in each journal mode. */
@ParameterizedClass(name = "journal_mode={0}")
@ValueSource(strings = {"DELETE", "TRUNCATE", "WAL"})
final class SqliteThreadHerdTest extends ThreadHerdContract {
    @Parameter
    String journalMode;

    @Override
    TestDatabase newDatabase(Path folder, String name) throws SQLException {
        return SqliteDatabase.create(folder, name, journalMode);
    }
}

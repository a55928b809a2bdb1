package org.lockstep.tests.contract;

import java.nio.file.Path;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link RepeatableContract} on a SQLite file. */
final class SqliteRepeatableTest extends RepeatableContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) {
        return SqliteDatabase.create(folder, name);
    }
}

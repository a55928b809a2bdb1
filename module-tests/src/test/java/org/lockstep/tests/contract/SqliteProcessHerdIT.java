package org.lockstep.tests.contract;

import java.nio.file.Path;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link ProcessHerdContract} on a SQLite file in the default journal mode, named by {@code --database}. */
final class SqliteProcessHerdIT extends ProcessHerdContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) {
        return SqliteDatabase.create(folder, name);
    }
}

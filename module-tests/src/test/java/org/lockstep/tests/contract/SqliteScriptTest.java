package org.lockstep.tests.contract;

import java.nio.file.Path;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link ScriptContract} on a SQLite file in the default journal mode, named by {@code --database}. */
final class SqliteScriptTest extends ScriptContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) {
        return SqliteDatabase.create(folder, name);
    }
}

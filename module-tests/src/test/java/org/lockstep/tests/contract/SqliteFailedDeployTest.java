package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstep.tests.cli.Workspace;
import org.lockstep.tests.fixture.SqliteDatabase;
import org.lockstep.tests.fixture.TestDatabase;

/** {@link FailedDeployContract} on a SQLite file in the default journal mode, named by {@code --database}. */
final class SqliteFailedDeployTest extends FailedDeployContract {
    @Override
    TestDatabase newDatabase(Path folder, String name) {
        return SqliteDatabase.create(folder, name);
    }

    @Test
    void failureInAFreshDeployOfAnEmptyDatabaseFileLeavesItsSchemaAsItWas() throws Exception {
        Files.createFile(((SqliteDatabase) db()).file());
        writeAllFour();

        Workspace.Run run = migrate();

        assertNamesTheFailure(run);
        assertEquals(List.of(), db().schemaObjectsBesideTheFailureLog());
    }
}

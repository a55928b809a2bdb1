package org.lockstep.tests.contract;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.fixture.TestDatabase;

/**
 * What every contract shares: a temporary folder, the dialect's fixture, and the databases a
 * test made, closed (dropped, on a server) after it. A contract is one promise, written once;
 * each dialect runs it through a subclass of a few lines that says how to make a fresh
 * database ({@link #newDatabase}).
 */
abstract class DatabaseContract {
    @TempDir
    Path dir;

    private final List<TestDatabase> databases = new ArrayList<>();

    /** A fresh, empty database of the dialect under test; {@code folder} is the test's own. */
    abstract TestDatabase newDatabase(Path folder, String name) throws Exception;

    /** The test's database, made on first use. */
    final TestDatabase db() throws Exception {
        return databases.isEmpty() ? freshDatabase("app") : databases.get(0);
    }

    /** Another fresh database for the same test. */
    final TestDatabase freshDatabase(String name) throws Exception {
        TestDatabase database = newDatabase(dir, name);
        databases.add(database);
        return database;
    }

    @AfterEach
    final void closeDatabases() throws Exception {
        Exception failure = null;
        for (TestDatabase database : databases) {
            try {
                database.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        databases.clear();
        if (failure != null) {
            throw failure;
        }
    }
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.MigrateResult;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.ConnectionsOnly;

/**
 * The lock holder's transaction runs at READ COMMITTED whatever the role's
 * {@code default_transaction_isolation} says. Under REPEATABLE READ or SERIALIZABLE its
 * snapshot is taken by its first query, which can come before the previous holder's commit:
 * the read under the lock would then miss that commit and apply the migration again. Here the
 * previous deploy commits, every time, after the worker's transaction has begun and before its
 * lock try.
 */
final class LockedReadSeesTheLastCommitWhateverTheDefaultIsolationTest extends PostgresCase {

    @ParameterizedTest(name = "default_transaction_isolation = {0}")
    @ValueSource(strings = {"repeatable read", "serializable"})
    @Timeout(60)
    void aDeployCommittedJustBeforeTheLockIsSeenUnderIt(String isolation) throws Exception {
        database.execute("ALTER ROLE " + role + " SET default_transaction_isolation = '" + isolation + "'");
        script("001_t.sql", "CREATE TABLE t (x int);\n");
        script("002_seed.sql", "INSERT INTO t VALUES (1);\n");
        AtomicBoolean committedFirst = new AtomicBoolean();
        ConnectionsOnly racing = new ConnectionsOnly() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection physical = connectAsRole();
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, method, args) -> {
                            if (method.getName().equals("prepareStatement")
                                    && ((String) args[0]).contains("pg_try_advisory_xact_lock")
                                    && committedFirst.compareAndSet(false, true)) {
                                MigrateResult first =
                                        Migrator.create(config().build()).migrate();
                                assertEquals(2, first.applied().size(), "the other deploy applied both");
                            }
                            try {
                                return method.invoke(physical, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };

        MigrateResult worker =
                Migrator.create(config().dataSource(racing, "racing").build()).migrate();

        assertTrue(committedFirst.get(), "the other deploy committed inside the worker's lock attempt");
        assertEquals(List.of(), worker.applied(), "nothing applied twice");
        assertEquals(1, database.count("SELECT count(*) FROM public.t"));
    }
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationListener;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.ConnectionsOnly;
import org.lockstep.tests.fixture.PostgresDatabase;

/**
 * A worker finds the history table with one statement that reads the search path's schemas
 * from the catalog as it is now and the tables from the statement's snapshot. When the first
 * deploy commits inside that statement (it created the history in {@code public} and the
 * schema {@code app} that the role's path names first), the answer is "{@code app}, no
 * history": the worker locked a lock of its own, found no history there, and ran 001 again
 * ({@code schema "app" already exists}), about one herd in six of
 * {@link HistoryStaysWhereItIsWhateverTheSearchPathTest}. Here the commit is placed inside
 * that statement every time: the worker's connection answers the statement as PostgreSQL
 * does in the race.
 */
final class HistoryFoundWhileADeployCommitsTest extends PostgresCase {

    @Test
    @Timeout(60)
    void aWorkerThatFoundTheHistoryWhileTheFirstDeployCommittedAppliesNothingAgain() throws Exception {
        database.execute("ALTER ROLE " + role + " SET search_path = app, public");
        script("001_app.sql", "CREATE SCHEMA app;\nCREATE TABLE app.things (x int);\n");
        script("002_more.sql", "INSERT INTO app.things VALUES (1);\n");
        RacedLookup raced = new RacedLookup(() -> {
            MigrateResult first = Migrator.create(config().build()).migrate();
            assertEquals(2, first.applied().size(), "the first deploy applied both");
        });

        MigrateResult worker =
                Migrator.create(config().dataSource(raced, "raced").build()).migrate();

        assertTrue(raced.fired.get(), "the first deploy committed inside the worker's lookup");
        assertTrue(raced.lockedAfterRace.get(), "the raced connection went on to try the lock");
        assertEquals(List.of(), worker.applied(), "the worker applied nothing again");
        assertEquals(1, database.count("SELECT count(*) FROM app.things"));
        assertEquals(List.of("public.schema_migrations"), tablesNamed("schema_migrations"));
    }

    @Test
    @Timeout(60)
    void aWorkerThatMovesToAHistoryWhoseLockIsHeldWaitsForIt() throws Exception {
        database.execute("ALTER ROLE " + role + " SET search_path = app, public");
        script("001_app.sql", "CREATE SCHEMA app;\nCREATE TABLE app.things (x int);\n");
        try (Connection holder = connectAsRole()) {
            holder.setAutoCommit(false);
            RacedLookup raced = new RacedLookup(() -> {
                Migrator.create(config().build()).migrate();
                try (Statement statement = holder.createStatement()) {
                    statement.execute("SELECT pg_advisory_xact_lock(" + PostgresDatabase.lockKey("public") + ")");
                }
            });
            AtomicInteger busy = new AtomicInteger();
            MigrationListener releaseOnceBusy = new MigrationListener() {
                @Override
                public void lockBusy(Duration waited, int attempts) {
                    if (busy.incrementAndGet() == 1) {
                        try {
                            holder.rollback();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };

            MigrateResult worker = Migrator.create(config().dataSource(raced, "raced")
                            .listener(releaseOnceBusy)
                            .build())
                    .migrate();

            assertTrue(raced.fired.get(), "the first deploy committed inside the worker's lookup");
            assertTrue(busy.get() >= 1, "the lock of the history it moved to was found held");
            assertEquals(List.of(), worker.applied(), "the worker applied nothing again");
        }
        assertEquals(List.of("public.schema_migrations"), tablesNamed("schema_migrations"));
    }

    /** A deploy that runs to its commit. */
    interface Deploy {
        void run() throws Exception;
    }

    /**
     * Connections as the test's role. The history lookup of the first connection (the one the
     * worker reads on and then locks on) runs, then the deploy commits, then the lookup's
     * current-schema column is answered from the catalog as it is after the commit, and its
     * tables from before: what PostgreSQL answers when the commit lands between the two.
     */
    private final class RacedLookup extends ConnectionsOnly {
        final AtomicBoolean fired = new AtomicBoolean();
        final AtomicBoolean lockedAfterRace = new AtomicBoolean();
        private final AtomicInteger lookups = new AtomicInteger();
        private final Deploy deploy;

        RacedLookup(Deploy deploy) {
            this.deploy = deploy;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection physical = connectAsRole();
            AtomicBoolean racedHere = new AtomicBoolean();
            return proxy(Connection.class, physical, (method, args) -> {
                Object result = invoke(method, physical, args);
                if (!method.getName().equals("prepareStatement")) {
                    return result;
                }
                String sql = (String) args[0];
                if (sql.contains("pg_try_advisory_xact_lock") && racedHere.get()) {
                    lockedAfterRace.set(true);
                }
                if (!sql.contains("current_schemas(false)") || lookups.incrementAndGet() != 1) {
                    return result;
                }
                PreparedStatement lookup = (PreparedStatement) result;
                return proxy(PreparedStatement.class, lookup, (m, a) -> {
                    Object answer = invoke(m, lookup, a);
                    if (!m.getName().equals("executeQuery")) {
                        return answer;
                    }
                    ResultSet before = (ResultSet) answer;
                    try {
                        deploy.run();
                    } catch (Exception e) {
                        throw new IllegalStateException("the first deploy failed", e);
                    }
                    String currentAfter;
                    try (ResultSet now = physical.createStatement().executeQuery("SELECT current_schema()")) {
                        now.next();
                        currentAfter = now.getString(1);
                    }
                    assertEquals("app", currentAfter, "the deploy created the path's first schema");
                    fired.set(true);
                    racedHere.set(true);
                    return proxy(
                            ResultSet.class,
                            before,
                            (rm, ra) -> rm.getName().equals("getString")
                                            && ra.length == 1
                                            && Integer.valueOf(1).equals(ra[0])
                                    ? currentAfter
                                    : invoke(rm, before, ra));
                });
            });
        }
    }

    /** A call on a proxy, given the method and its arguments. */
    interface Call {
        Object handle(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (p, method, args) -> call.handle(method, args == null ? new Object[0] : args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

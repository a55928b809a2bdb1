package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.MigrateResult;
import org.lockstep.Migrator;

/**
 * Issue 13, item 1: each connection found the history (and the lock key) through
 * {@code current_schema()}, so a schema named after the role, or a script that changed the
 * search path, started a second history and applied every migration again.
 */
final class HistoryStaysWhereItIsWhateverTheSearchPathTest extends PostgresCase {

    @Test
    @Timeout(60)
    void aSchemaNamedAfterTheRoleAppearingLaterStartsNoSecondHistory() throws Exception {
        script("001_seed.sql", "CREATE TABLE seeds (x int);\nINSERT INTO seeds VALUES (1);\n");
        Migrator.create(config().build()).migrate();
        executeAsRole("CREATE SCHEMA " + role); // "$user" is first on the default search_path

        MigrateResult again = Migrator.create(config().build()).migrate();

        assertTrue(again.wasUpToDate(), again.toString());
        assertEquals(List.of("public.schema_migrations"), tablesNamed("schema_migrations"));
        assertEquals(1, database.count("SELECT count(*) FROM public.seeds"));
    }

    @Test
    @Timeout(120)
    void aHerdWhoseFirstMigrationChangesTheRolesSearchPathAppliesTheSeedOnce() throws Exception {
        script(
                "001_schema.sql",
                "CREATE SCHEMA IF NOT EXISTS app;\nALTER ROLE CURRENT_USER SET search_path = app, public;\n"
                        + "CREATE TABLE public.seeds (x int);\n");
        script("002_seed.sql", "INSERT INTO public.seeds VALUES (1);\n");
        List<MigrateResult> results = herd(20);

        assertEquals(20, results.size());
        assertEquals(1, database.count("SELECT count(*) FROM public.seeds"), "the seed row was inserted once");
        assertEquals(List.of("public.schema_migrations"), tablesNamed("schema_migrations"));
        assertTrue(Migrator.create(config().build()).migrate().wasUpToDate(), "a later deploy sees the same history");
    }

    @Test
    @Timeout(120)
    void aRoleWhosePathNamesASchemaTheFirstMigrationCreatesSucceedsEveryTime() throws Exception {
        database.execute("ALTER ROLE " + role + " SET search_path = app, public");
        script("001_app.sql", "CREATE SCHEMA app;\nCREATE TABLE app.things (x int);\n");
        script("002_more.sql", "INSERT INTO app.things VALUES (1);\n");

        assertEquals(6, herd(6).size(), "every worker succeeded");
        assertEquals(1, database.count("SELECT count(*) FROM app.things"));
        script("003_later.sql", "INSERT INTO app.things VALUES (2);\n");
        assertEquals(1, Migrator.create(config().build()).migrate().applied().size(), "a later deploy works");
        assertEquals(List.of("public.schema_migrations"), tablesNamed("schema_migrations"));
    }

    @Test
    @Timeout(120)
    void aHerdOfTwentyOnAHistoryThatChangesSessionSettingsAppliesItAsOneWorkerWould() throws Exception {
        executeAsRole("CREATE SCHEMA other");
        script(
                "001_dump.sql",
                "SELECT pg_catalog.set_config('search_path', '', false);\n" + "CREATE TABLE public.a (x int);\n");
        script("002_path.sql", "SET search_path TO other;\nCREATE TABLE here (x int);\n");
        script("003_c.sql", "CREATE TABLE c (x int);\nINSERT INTO c VALUES (1);\n");

        assertEquals(20, herd(20).size(), "every worker succeeded");
        assertEquals(List.of("public.c"), tablesNamed("c"));
        assertEquals(List.of("other.here"), tablesNamed("here"));
        assertEquals(1, database.count("SELECT count(*) FROM public.c"));
    }

    @Test
    @Timeout(60)
    void anExplicitSchemaFixesTheHistory() throws Exception {
        executeAsRole("CREATE SCHEMA ops");
        script("001_t.sql", "CREATE TABLE public.t (x int);\n");
        Migrator.create(config().historySchema("ops").build()).migrate();
        assertEquals(List.of("ops.schema_migrations"), tablesNamed("schema_migrations"));
        assertTrue(
                Migrator.create(config().historySchema("OPS").build()).migrate().wasUpToDate());
    }

    // Workers released together; every one must succeed.
    private List<MigrateResult> herd(int workers) throws Exception {
        CyclicBarrier gate = new CyclicBarrier(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Callable<MigrateResult>> calls = new ArrayList<>(Collections.nCopies(workers, () -> {
                gate.await(30, TimeUnit.SECONDS);
                return Migrator.create(config().build()).migrate();
            }));
            List<MigrateResult> results = new ArrayList<>();
            for (Future<MigrateResult> result : pool.invokeAll(calls)) {
                results.add(result.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}

package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.TransactionMode;

/**
 * Issue 13, item 2: a setting a script changed for its session reached the next migration of
 * the same transaction, so one deploy behaved differently from the same migrations deployed
 * one at a time.
 */
final class SessionSettingsDoNotLeakBetweenMigrationsTest extends PostgresCase {

    @Test
    @Timeout(60)
    void aPgDumpStyleEmptySearchPathDoesNotReachTheNextMigration() throws Exception {
        script(
                "001_dump.sql",
                "SELECT pg_catalog.set_config('search_path', '', false);\n" + "CREATE TABLE public.a (x int);\n");
        script("002_b.sql", "CREATE TABLE b (x int);\n");

        Migrator.create(config().build()).migrate();

        assertEquals(List.of("public.b"), tablesNamed("b"));
        assertEquals("\"$user\", public", searchPathAsRole(), "the connection's own setting is untouched");
    }

    @Test
    @Timeout(60)
    void aSetSearchPathPutsTheNextTableWhereADeployOfOneMigrationWould() throws Exception {
        executeAsRole("CREATE SCHEMA other");
        script("001_a.sql", "CREATE TABLE public.a (x int);\n");
        script("002_path.sql", "SET search_path TO other;\nCREATE TABLE here (x int);\n");
        script("003_c.sql", "CREATE TABLE c (x int);\n");

        Migrator.create(config().build()).migrate(); // fresh: all three in one transaction
        assertEquals(List.of("public.c"), tablesNamed("c"));
        assertEquals(List.of("other.here"), tablesNamed("here"));

        database.execute("DROP TABLE public.c, other.here, public.a, public.schema_migrations");
        Migrator.create(config().transactionMode(TransactionMode.PER_MIGRATION)
                        .target(MigrationVersion.parse("2"))
                        .build())
                .migrate();
        Migrator.create(config().build()).migrate(); // incremental: 003 alone
        assertEquals(List.of("public.c"), tablesNamed("c"), "the same place either way");
    }

    private String searchPathAsRole() throws Exception {
        try (var connection = connectAsRole();
                var statement = connection.createStatement();
                var rs = statement.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }
}

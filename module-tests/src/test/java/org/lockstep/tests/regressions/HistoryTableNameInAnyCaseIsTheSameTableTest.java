package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;

/**
 * Issue 11, item 2: {@code --history-table SCHEMA_MIGRATIONS} after a migrate with the
 * default name found no history (SQLite names are case-insensitive, the lookup was not) and
 * applied every migration again.
 */
final class HistoryTableNameInAnyCaseIsTheSameTableTest {
    @TempDir
    Path dir;

    @Test
    void aNameThatDiffersOnlyInCaseFindsTheHistoryAndAppliesNothingAgain() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);\nINSERT INTO t VALUES (1);");
        Migrator.create(fixture.config().build()).migrate();

        for (String name : List.of("SCHEMA_MIGRATIONS", "Schema_Migrations")) {
            Migrator other = Migrator.create(fixture.config().historyTable(name).build());
            MigrateResult again = other.migrate();
            assertTrue(again.wasUpToDate(), name + ": " + again);
            assertEquals(
                    List.of(MigrationState.APPLIED),
                    other.status().stream().map(i -> i.state()).toList());
            other.validate();
        }
        assertEquals(List.of("1"), fixture.column("SELECT a FROM t"), "the non-idempotent insert ran once");
        assertEquals(
                List.of("schema_migrations"),
                fixture.column("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'schema%'"));
    }

    @Test
    void theCommandsAgreeWhateverTheCase() {
        Fixture fixture = new Fixture(dir).script("001_t.sql", "CREATE TABLE t (a);");
        assertEquals(
                0,
                Fixture.lockstep(
                                "migrate",
                                "--database",
                                fixture.database.toString(),
                                "--migrations",
                                fixture.scripts.toString())
                        .exitCode());
        for (String command : List.of("status", "validate", "migrate")) {
            Fixture.Run run = Fixture.lockstep(
                    command,
                    "--database",
                    fixture.database.toString(),
                    "--migrations",
                    fixture.scripts.toString(),
                    "--history-table",
                    "SCHEMA_MIGRATIONS",
                    "--json");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(!run.out().contains("PENDING"), command + " reports a pending migration: " + run);
        }
    }
}

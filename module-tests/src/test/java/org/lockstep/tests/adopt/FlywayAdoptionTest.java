package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AdoptFrom;
import org.lockstep.AdoptResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationTool;
import org.lockstep.Migrator;
import org.lockstep.tests.cli.Workspace;

/**
 * Adopting a SQLite database that Flyway itself migrated (flyway-core through its Java API):
 * every checksum Flyway recorded is recomputed from the local files and agrees, the rows keep
 * Flyway's who and when, and afterwards Lockstep applies only what is new.
 */
final class FlywayAdoptionTest {
    @TempDir
    Path root;

    private ForeignDatabase db;
    private Path repeatable;

    @BeforeEach
    void migrateWithFlyway() throws Exception {
        db = new ForeignDatabase(root);
        FlywayHistoryFixture.writeVersioned(db);
        repeatable = FlywayHistoryFixture.writeRepeatable(root);
        assertEquals(9, FlywayHistoryFixture.migrate(db, repeatable).migrationsExecuted);
    }

    @Test
    void adoptRecordsEveryVersionFlywayAppliedWithItsWhoAndWhenAndMigrateThenAppliesOnlyTheNewScript() {
        List<List<String>> flywayRows = db.rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank");

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertEquals(8, adopt.outLinesStartingWith("Recorded ").size(), adopt::toString);
        assertTrue(adopt.out().contains("Not recorded R__post_summaries.sql: a repeatable migration"), adopt::toString);
        assertTrue(adopt.out().contains("each file verified against flyway's checksum"), adopt::toString);
        List<List<String>> adopted = db.lockstepHistory("schema_migrations");
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), ForeignDatabase.firsts(adopted));
        List<List<String>> flywayVersioned = db.rows("SELECT version, script, installed_on, execution_time"
                + " FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank");
        for (int i = 0; i < 8; i++) {
            List<String> mine = adopted.get(i);
            List<String> theirs = flywayVersioned.get(i);
            assertEquals(theirs.get(1), mine.get(1), "the script's file name");
            assertEquals("adopted from flyway (by " + FlywayHistoryFixture.INSTALLED_BY + ")", mine.get(4));
            assertEquals(
                    theirs.get(2).replace(' ', 'T') + "Z", mine.get(3), "applied_at is Flyway's installed_on, UTC");
            assertEquals(theirs.get(3), mine.get(5), "execution time as Flyway measured it");
        }
        assertEquals(flywayRows, db.rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank"));

        db.script("V9__tags.sql", "CREATE TABLE tags (post_id INTEGER REFERENCES posts (id), tag TEXT);\n");
        Workspace.Run migrate = db.lockstep("migrate");
        Workspace.Run validate = db.lockstep("validate");
        Workspace.Run status = db.lockstep("status");

        assertEquals(0, migrate.exitCode(), migrate::toString);
        assertEquals(1, migrate.outLinesStartingWith("Applied 9 tags").size(), migrate::toString);
        assertEquals(0, validate.exitCode(), validate::toString);
        assertEquals(
                9, status.out().lines().filter(l -> l.contains(" APPLIED ")).count(), status::toString);
        assertTrue(status.out().contains("adopted from flyway (by deployer)"), status::toString);
    }

    @Test
    void adoptingAgainRecordsNothingNewAndChangesNothing() {
        assertEquals(0, db.lockstep("adopt").exitCode());
        byte[] before = db.bytes();

        Workspace.Run again = db.lockstep("adopt");

        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(List.of(), again.outLinesStartingWith("Recorded "));
        assertEquals(8, again.outLinesStartingWith("Already recorded ").size(), again::toString);
        assertArrayEquals(before, db.bytes());
    }

    @Test
    void anAdoptedFileEditedBeforeAdoptingIsAValidationFailureNamingItAndNothingIsWritten() throws Exception {
        Path edited = db.workspace().migrations().resolve("V3__seed_users.sql");
        Files.writeString(edited, Files.readString(edited).replace("Zoë", "Zoe"));
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("[V3__seed_users.sql] is not the script flyway applied"), adopt::toString);
        assertArrayEquals(before, db.bytes());
        assertFalse(db.hasTable("schema_migrations"));
    }

    @Test
    void dryRunPrintsWhatWouldBeRecordedAndChangesNothing() {
        byte[] before = db.bytes();

        Workspace.Run dryRun = db.lockstep("adopt", "--dry-run");

        assertEquals(0, dryRun.exitCode(), dryRun::toString);
        assertEquals(8, dryRun.outLinesStartingWith("Would record ").size(), dryRun::toString);
        assertTrue(dryRun.out().contains("Nothing was changed."), dryRun::toString);
        assertArrayEquals(before, db.bytes());
    }

    @Test
    void theLibraryReportsTheSameAdoption() {
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url(db.url())
                .location(db.workspace().migrations())
                .owner("adopter")
                .build());

        AdoptResult result = migrator.adopt(AdoptFrom.tool(MigrationTool.FLYWAY));

        assertEquals(MigrationTool.FLYWAY, result.tool());
        assertEquals("flyway_schema_history", result.table());
        assertEquals(8, result.adopted().size());
        assertTrue(result.checksumsVerified());
        assertEquals(
                List.of("R__post_summaries.sql"),
                result.notAdopted().stream().map(AdoptResult.NotAdopted::script).toList());
        migrator.validate();
    }

    @Test
    void aFailedFlywayRowIsRefusedWithWhatToDoAndTheDatabaseStaysByteIdentical() throws Exception {
        db.script("V9__partial.sql", "CREATE TABLE partial (x);\nINSERT INTO no_such_table VALUES (1);\n");
        // Outside a transaction Flyway cannot roll a failure back, so it records it as failed.
        Files.writeString(db.workspace().migrations().resolve("V9__partial.sql.conf"), "executeInTransaction=false\n");
        assertThrows(FlywayException.class, () -> FlywayHistoryFixture.migrate(db, repeatable));
        assertEquals(List.of("0"), db.column("SELECT success FROM flyway_schema_history WHERE version = '9'"));
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("version [9] [V9__partial.sql] as failed (success = 0)"), adopt::toString);
        assertTrue(adopt.err().contains("flyway repair"), adopt::toString);
        assertArrayEquals(before, db.bytes());
    }

    @Test
    void aBaselineRowIsReportedAndNotRecorded() throws Exception {
        Path other = Files.createDirectories(root.resolve("other"));
        ForeignDatabase baselined = new ForeignDatabase(other);
        baselined.execute("CREATE TABLE legacy (id INTEGER PRIMARY KEY)");
        baselined.script("V2__more.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY);\n");
        Flyway.configure()
                .dataSource(baselined.url(), null, null)
                .locations("filesystem:" + baselined.workspace().migrations())
                .baselineOnMigrate(true)
                .baselineVersion("1")
                .load()
                .migrate();

        Workspace.Run adopt = baselined.lockstep("adopt");

        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertEquals(List.of("2"), baselined.column("SELECT version FROM schema_migrations"));
        assertTrue(adopt.out().contains("Not recorded 1 << Flyway Baseline >>: Flyway's baseline"), adopt::toString);
    }
}

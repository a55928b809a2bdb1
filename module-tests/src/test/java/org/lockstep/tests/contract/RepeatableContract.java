package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.PendingMigration;
import org.lockstep.ValidationFailedException;
import org.lockstep.ValidationProblem;

/**
 * Repeatable migrations ({@code R__<description>.sql}) and the history table format they need:
 * applied after every versioned migration of the same deploy, in description order, in the same
 * transaction, whenever new or changed; a history of the previous release's format read as it
 * is and upgraded only by the first deploy that records a repeatable script; a newer format
 * refused and left alone.
 */
abstract class RepeatableContract extends DatabaseContract {

    private Path scripts() throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.writeScripts(scripts, 1, 2, db());
        return scripts;
    }

    private static void view(Path scripts, String file, String view, String note) {
        Herds.write(
                scripts,
                file,
                "DROP VIEW IF EXISTS " + view + ";\n"
                        + "CREATE VIEW " + view + " AS SELECT version, note FROM effects;\n"
                        + "INSERT INTO effects (version, note) VALUES (0, '" + note + "');\n");
    }

    private MigrateResult migrate(Path scripts, String owner) throws Exception {
        return Migrator.create(db().config(scripts, owner).build()).migrate();
    }

    private List<String> states(Path scripts) throws Exception {
        return Migrator.create(db().config(scripts, "status").build()).status().stream()
                .map(info -> info.name() + " " + info.state())
                .toList();
    }

    @Test
    void repeatableScriptsRunAfterEveryVersionedMigrationInDescriptionOrderInTheSameTransaction() throws Exception {
        Path scripts = scripts();
        // b_view reads a table that a versioned script of this very deploy creates.
        Herds.write(scripts, "R__b_view.sql", "CREATE VIEW b_view AS SELECT * FROM t3;\n");
        view(scripts, "R__a_view.sql", "a_view", "a_view 1");
        Herds.writeScripts(scripts, 3, 3, db());

        MigrateResult result = migrate(scripts, "deploy-1");

        assertEquals(
                List.of("001", "002", "003", "a view", "b view"),
                result.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(Optional.empty(), result.applied().get(3).version());
        assertEquals("R__a_view.sql", result.applied().get(3).script());
        assertEquals(
                List.of("001_step_1.sql", "002_step_2.sql", "003_step_3.sql", "R__a_view.sql", "R__b_view.sql"),
                db().strings("SELECT script FROM schema_migrations ORDER BY applied_rank"));
        assertEquals(
                List.of("SQL", "SQL", "SQL", "REPEATABLE", "REPEATABLE"),
                db().strings("SELECT type FROM schema_migrations ORDER BY applied_rank"));
        assertEquals(1, db().count("SELECT count(*) FROM b_view"));
        assertEquals(
                List.of("001 APPLIED", "002 APPLIED", "003 APPLIED", "a view APPLIED", "b view APPLIED"),
                states(scripts));
    }

    @Test
    void anUnchangedRepeatableScriptIsLeftAloneAndAnEditedOneIsAppliedAgainOnce() throws Exception {
        Path scripts = scripts();
        view(scripts, "R__views.sql", "effect_notes", "views 1");
        assertEquals(List.of("001 PENDING", "002 PENDING", "views PENDING"), states(scripts));
        migrate(scripts, "deploy-1");

        MigrateResult unchanged = migrate(scripts, "deploy-2");
        view(scripts, "R__views.sql", "effect_notes", "views 2");
        List<String> edited = states(scripts);
        List<PendingMigration> plan =
                Migrator.create(db().config(scripts, "plan").build()).dryRun();
        MigrateResult reapplied = migrate(scripts, "deploy-3");

        assertTrue(unchanged.wasUpToDate());
        assertEquals(0, unchanged.lockAttempts());
        assertEquals(List.of("001 APPLIED", "002 APPLIED", "views OUTDATED"), edited);
        assertEquals(List.of(new PendingMigration(Optional.empty(), "views", "R__views.sql", 3)), plan);
        assertEquals(
                List.of("views"),
                reapplied.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(List.of("001 APPLIED", "002 APPLIED", "views APPLIED"), states(scripts));
        assertEquals(
                List.of("views 1", "views 2"),
                db().strings("SELECT note FROM effects WHERE version = 0 ORDER BY note"));
        assertEquals(
                List.of("deploy-1", "deploy-3"),
                db().strings("SELECT applied_by FROM schema_migrations WHERE version IS NULL ORDER BY applied_rank"));
        MigrationInfo views =
                Migrator.create(db().config(scripts, "status").build()).status().get(2);
        assertEquals("deploy-3", views.applied().orElseThrow().appliedBy(), "status shows the latest application");
    }

    @Test
    void aFailingRepeatableScriptRollsTheWholeDeployBack() throws Exception {
        Path scripts = scripts();
        migrate(scripts, "deploy-1");
        String before = db().dump();
        Herds.writeScripts(scripts, 3, 3, db());
        Herds.write(
                scripts,
                "R__broken.sql",
                "CREATE VIEW broken AS SELECT 1 AS x;\nINSERT INTO no_such_table VALUES (1);\n");

        MigrationFailedException failed =
                assertThrows(MigrationFailedException.class, () -> migrate(scripts, "deploy-2"));

        assertEquals(Optional.empty(), failed.version());
        assertEquals("R__broken.sql", failed.script());
        assertEquals(2, failed.line());
        assertTrue(
                failed.getMessage().startsWith("Repeatable migration failed in [R__broken.sql] at line [2]: "),
                failed.getMessage());
        assertEquals(before, db().dump(), "version 3 and the view are rolled back with it");
    }

    @Test
    void aDeletedRepeatableScriptIsReportedByValidate() throws Exception {
        Path scripts = scripts();
        view(scripts, "R__views.sql", "effect_notes", "views 1");
        migrate(scripts, "deploy-1");
        java.nio.file.Files.delete(scripts.resolve("R__views.sql"));

        ValidationFailedException invalid = assertThrows(
                ValidationFailedException.class,
                () -> Migrator.create(db().config(scripts, "validate").build()).validate());

        ValidationProblem problem = invalid.problems().get(0);
        assertEquals(MigrationState.MISSING_SCRIPT, problem.kind());
        assertEquals(Optional.empty(), problem.version());
        assertEquals("R__views.sql", problem.script());
        assertEquals(
                "Repeatable migration [views] was applied from [R__views.sql] but no repeatable script of that"
                        + " description exists",
                problem.message());
        assertEquals(List.of("001 APPLIED", "002 APPLIED", "views MISSING_SCRIPT"), states(scripts));
    }

    @Test
    void repeatableScriptsWaitUntilATargetLetsTheWholeDeployThrough() throws Exception {
        Path scripts = scripts();
        view(scripts, "R__views.sql", "effect_notes", "views 1");

        MigrateResult staged = Migrator.create(db().config(scripts, "stage-1")
                        .target(MigrationVersion.parse("1"))
                        .build())
                .migrate();
        MigrateResult rest = Migrator.create(db().config(scripts, "stage-2")
                        .target(MigrationVersion.parse("2"))
                        .build())
                .migrate();

        assertEquals(
                List.of("001"),
                staged.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(
                List.of("002", "views"),
                rest.applied().stream().map(AppliedMigration::name).toList());
    }

    @Test
    void aHistoryOfThePreviousReleaseIsReadAsItIsThenUpgradedByTheFirstDeployWithARepeatableScript() throws Exception {
        Path scripts = scripts();
        migrate(scripts, "previous-release");
        db().rewriteHistoryAsPreviousRelease();
        List<List<String>> previousRows = db().history();
        Herds.writeScripts(scripts, 3, 3, db());

        MigrateResult versionedOnly = migrate(scripts, "deploy-1");
        List<String> columnsAfterVersionedOnly = db().columns("schema_migrations");
        MigrateResult upToDate = migrate(scripts, "deploy-2");
        view(scripts, "R__views.sql", "effect_notes", "views 1");
        MigrateResult withRepeatable = migrate(scripts, "deploy-3");

        assertEquals(
                List.of("003"),
                versionedOnly.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(
                List.of("version", "description", "script", "checksum", "applied_at", "applied_by", "execution_ms"),
                columnsAfterVersionedOnly,
                "a deploy of versioned scripts only needs no upgrade");
        assertTrue(upToDate.wasUpToDate());
        assertEquals(0, upToDate.lockAttempts(), "an up-to-date history of the previous format costs one read");
        assertEquals(
                List.of("views"),
                withRepeatable.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(
                List.of(
                        "version",
                        "description",
                        "script",
                        "checksum",
                        "applied_at",
                        "applied_by",
                        "execution_ms",
                        "type",
                        "applied_rank"),
                db().columns("schema_migrations"));
        assertEquals(
                previousRows,
                db().history().stream()
                        .filter(row -> row.get(0) != null)
                        .toList()
                        .subList(0, 2),
                "the previous release's rows are kept as they were");
        assertEquals(
                List.of("001|1|SQL", "002|2|SQL", "003|3|SQL", "null|4|REPEATABLE"),
                db().strings("SELECT coalesce(version, 'null') || '|' || applied_rank || '|' || type"
                        + " FROM schema_migrations ORDER BY applied_rank"));
        Migrator.create(db().config(scripts, "validate").build()).validate();
        assertEquals(List.of("001 APPLIED", "002 APPLIED", "003 APPLIED", "views APPLIED"), states(scripts));
    }

    @Test
    void aHistoryOfANewerFormatIsRefusedAndLeftAsItIs() throws Exception {
        Path scripts = scripts();
        migrate(scripts, "deploy-1");
        db().execute("ALTER TABLE schema_migrations ADD COLUMN checksum_kind TEXT");
        Herds.writeScripts(scripts, 3, 3, db());
        String before = db().dump();

        DatabaseException refused = assertThrows(DatabaseException.class, () -> migrate(scripts, "deploy-2"));
        DatabaseException status = assertThrows(
                DatabaseException.class,
                () -> Migrator.create(db().config(scripts, "status").build()).status());

        assertEquals(DatabaseException.Reason.HISTORY_TABLE_SHAPE, refused.reason());
        assertTrue(
                refused.getMessage().contains("is of a newer format than this release of Lockstep knows")
                        && refused.getMessage().contains("[checksum_kind]")
                        && refused.getMessage().contains("It was not changed"),
                refused.getMessage());
        assertEquals(DatabaseException.Reason.HISTORY_TABLE_SHAPE, status.reason());
        assertEquals(before, db().dump());
    }
}

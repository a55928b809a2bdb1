package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;
import org.lockstep.tests.cli.Workspace;

/**
 * Atomic: a deploy of four scripts whose third fails, run by the command: exit 1, a message
 * that names version, file, line, the database's own words and the statement, and nothing of
 * the deploy left behind.
 */
abstract class FailedDeployContract extends DatabaseContract {
    // The failing statement starts on line 6 and fails on line 7.
    private static final String THIRD = """
            -- Backfill the new tags.
            INSERT INTO tags (note_id, name) VALUES (1, 'first; tag');

            ALTER TABLE notes ADD COLUMN rank INTEGER;

            UPDATE notes
               SET missing_column = 'x'
             WHERE id = 1;
            """;
    private static final String SECOND = """
            CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes(id), name TEXT NOT NULL);
            CREATE INDEX tags_by_name ON tags (name);
            """;
    private static final String FOURTH = """
            CREATE TABLE later (id INTEGER PRIMARY KEY);
            """;

    private String first() throws Exception {
        return """
                CREATE TABLE notes (
                    id %s,
                    title TEXT NOT NULL
                );
                INSERT INTO notes (title) VALUES ('kept from version 1');
                """.formatted(db().sql().generatedKey());
    }

    private Path scripts() {
        return dir.resolve("migrations");
    }

    final void writeAllFour() throws Exception {
        Herds.write(scripts(), "001_create_notes.sql", first());
        Herds.write(scripts(), "002_create_tags.sql", SECOND);
        Herds.write(scripts(), "003_backfill_tags.sql", THIRD);
        Herds.write(scripts(), "004_create_later.sql", FOURTH);
    }

    /** Runs {@code lockstep migrate} in-process against the database with the migrations folder. */
    final Workspace.Run migrate(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("migrate"));
        args.addAll(db().commandOptions(dir));
        args.addAll(List.of("--migrations", scripts().toString()));
        args.addAll(List.of(extra));
        return Workspace.run(Map.of(), args.toArray(String[]::new));
    }

    final void assertNamesTheFailure(Workspace.Run run) throws Exception {
        String databaseSays = db().sql().unknownColumnMessage("notes", "missing_column");
        assertEquals(1, run.exitCode(), run::toString);
        assertAll(
                () -> assertTrue(run.err().contains("[003]"), run::toString),
                () -> assertTrue(run.err().contains("[003_backfill_tags.sql]"), run::toString),
                () -> assertTrue(run.err().contains("line [6]"), run::toString),
                () -> assertTrue(run.err().contains(databaseSays), run::toString),
                () -> assertTrue(run.err().contains("UPDATE notes"), run::toString));
    }

    @Test
    void failureInTheThirdScriptOfAFreshDeployLeavesNoTablesAtAll() throws Exception {
        writeAllFour();

        Workspace.Run run = migrate();

        assertNamesTheFailure(run);
        assertEquals(List.of(), run.outLinesStartingWith("Applied "), run::toString);
        assertEquals(List.of(), db().schemaObjectsBesideTheFailureLog(), "not even the history table");
        assertEquals(
                List.of("003"),
                db().failureLog().stream().map(row -> row.get(0)).toList(),
                "one record");
    }

    @Test
    void failureInADeployOfTwoToFourLeavesADatabaseAtVersionOneUnchanged() throws Exception {
        Herds.write(scripts(), "001_create_notes.sql", first());
        assertEquals(0, migrate().exitCode());
        String before = db().dump();
        List<List<String>> history = db().history();
        List<List<String>> notes = db().rows("SELECT * FROM notes");
        Herds.write(scripts(), "002_create_tags.sql", SECOND);
        Herds.write(scripts(), "003_backfill_tags.sql", THIRD);
        Herds.write(scripts(), "004_create_later.sql", FOURTH);

        Workspace.Run run = migrate();

        assertNamesTheFailure(run);
        assertEquals(before, db().dumpBesideTheFailureLog());
        assertEquals(history, db().history());
        assertEquals(notes, db().rows("SELECT * FROM notes"), "no column added, no row changed");
        assertEquals(List.of("001"), db().appliedVersions());
    }

    @Test
    void perMigrationKeepsTheScriptsBeforeTheFailingOneAndNothingOfTheRest() throws Exception {
        writeAllFour();

        Workspace.Run run = migrate("--per-migration");

        assertNamesTheFailure(run);
        assertEquals(List.of("001", "002"), db().appliedVersions());
        assertEquals(
                List.of("index tags_by_name", "table notes", "table schema_migrations", "table tags"),
                db().schemaObjectsBesideTheFailureLog());
        assertEquals(List.of("0"), db().strings("SELECT count(*) FROM tags"), "003's insert rolled back");
        assertEquals(
                List.of(List.of("1", "kept from version 1")),
                db().rows("SELECT * FROM notes"),
                "003's new column rolled back");
    }

    @Test
    void aSecondRunOfTheSameFailedDeployFailsAtOnceNamingWhoFailedFirst() throws Exception {
        writeAllFour();
        assertEquals(1, migrate("--owner", "first-worker").exitCode());

        Workspace.Run again = migrate("--owner", "second-worker");

        assertNamesTheFailure(again);
        assertTrue(again.err().contains("failed first by [first-worker]"), again::toString);
        assertEquals(1, db().failureLog().size(), "the second run did not run the deploy, so recorded nothing");
        assertEquals(List.of(), db().schemaObjectsBesideTheFailureLog());

        Workspace.Run retried = migrate("--owner", "third-worker", "--retry-failed");

        assertNamesTheFailure(retried);
        assertTrue(!retried.err().contains("failed first by"), retried::toString);
        assertEquals(
                List.of(List.of("003", "first-worker"), List.of("003", "third-worker")),
                db().failureLog(),
                "an explicit retry runs the deploy again, and records its failure too");
    }

    @Test
    void fixingTheFailedScriptLetsTheNextMigrateApplyTheRest() throws Exception {
        writeAllFour();
        assertEquals(1, migrate().exitCode());
        Herds.write(scripts(), "003_backfill_tags.sql", THIRD.replace("missing_column = 'x'", "rank = 1"));

        Workspace.Run run = migrate();

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(4, run.outLinesStartingWith("Applied ").size(), run::toString);
        assertEquals(List.of("001", "002", "003", "004"), db().appliedVersions());
    }

    @Test
    void changingAnEarlierScriptOfTheFailedDeployLetsTheNextMigrateRunItAgain() throws Exception {
        writeAllFour();
        assertEquals(1, migrate().exitCode());
        // 003 unchanged, but what runs before it in the deploy is not: a different deploy.
        Herds.write(scripts(), "002_create_tags.sql", SECOND + "ALTER TABLE notes ADD COLUMN missing_column TEXT;\n");

        Workspace.Run run = migrate();

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("001", "002", "003", "004"), db().appliedVersions());
    }

    @Test
    void failingScriptRollsBackItsDdlAndEveryEarlierMigrationOfTheDeploy() throws Exception {
        Herds.writeScripts(scripts(), 1, 2, db());
        Herds.write(
                scripts(),
                "003_broken.sql",
                "ALTER TABLE effects ADD COLUMN extra INTEGER;\n"
                        + "CREATE INDEX effects_version ON effects (version);\nINSERT INTO no_such_table VALUES (1);\n");

        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(db().config(scripts(), "atomic").build()).migrate());

        assertEquals("003", failure.version().orElseThrow().toString());
        assertEquals(3, failure.line());
        if (db().sql().unknownTableSqlState().isPresent()) {
            assertEquals(db().sql().unknownTableSqlState().get(), failure.sqlState());
        }
        assertEquals(
                List.of(), db().schemaObjectsBesideTheFailureLog(), "transactional DDL: nothing of the deploy remains");
    }
}

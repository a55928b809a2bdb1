package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/**
 * The scoped foreign-key check (it counts, before each statement, the violations of what that
 * statement may change) against what a whole-database check says. Found by adversarial use on
 * 2026-11-30: a statement whose target its tokens do not say ({@code WITH ... INSERT}) made the
 * check count every table again, after the earlier statements of the deploy had run, so an
 * orphan those statements made counted as old and the deploy committed it. Also: the tables a
 * trigger writes, and through a chain of triggers.
 */
final class ForeignKeyCheckFollowsTheWholeDeployTest {
    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void parentAndChild() {
        fixture = new Fixture(dir);
        fixture.execute(
                "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id))",
                "CREATE TABLE log (x INTEGER)",
                "INSERT INTO p VALUES (1), (2)",
                "INSERT INTO c VALUES (10, 1), (20, 2)");
    }

    private MigrationFailedException failsNamingTheOrphan(String orphan) {
        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(fixture.config().build()).migrate());
        assertTrue(
                failure.getMessage().contains("table [c] row [" + orphan + "] references a missing row of [p]"),
                failure.getMessage());
        assertEquals(List.of("1", "2"), fixture.column("SELECT id FROM p ORDER BY id"), "rolled back");
        assertEquals(List.of(), fixture.column("SELECT \"table\" FROM pragma_foreign_key_check"));
        return failure;
    }

    @Test
    void anOrphanMadeBeforeAStatementWhoseTargetIsUnknownStillFailsTheDeploy() {
        fixture.script("001_orphan.sql", """
                INSERT INTO c VALUES (30, 99);
                WITH n (v) AS (SELECT 3) INSERT INTO p SELECT v FROM n;
                """);

        failsNamingTheOrphan("30");
    }

    @Test
    void oldOrphansElsewhereDoNotFailADeployWhoseTargetIsUnknown() {
        fixture.execute(
                "CREATE TABLE other (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id))",
                "INSERT INTO other VALUES (1, 77)"); // an application that never enforced foreign keys
        fixture.script("001_unknown.sql", "WITH n (v) AS (SELECT 3) INSERT INTO p SELECT v FROM n;\n");

        Migrator.create(fixture.config().build()).migrate();

        assertEquals(List.of("1", "2", "3"), fixture.column("SELECT id FROM p ORDER BY id"));
    }

    @Test
    void aTriggerThatDeletesAParentFailsTheDeployThatFiredIt() {
        fixture.execute("CREATE TRIGGER log_purges AFTER INSERT ON log BEGIN DELETE FROM p WHERE id = NEW.x; END");
        fixture.script("001_log.sql", "INSERT INTO log VALUES (2);\n");

        failsNamingTheOrphan("20");
    }

    @Test
    void aChainOfTriggersIsFollowed() {
        fixture.execute(
                "CREATE TABLE audit (x INTEGER)",
                "CREATE TRIGGER log_audits AFTER INSERT ON log BEGIN INSERT INTO audit VALUES (NEW.x); END",
                "CREATE TRIGGER audit_purges AFTER INSERT ON audit BEGIN DELETE FROM p WHERE id = NEW.x; END");
        fixture.script("001_log.sql", "INSERT INTO log VALUES (1);\n");

        failsNamingTheOrphan("10");
    }
}

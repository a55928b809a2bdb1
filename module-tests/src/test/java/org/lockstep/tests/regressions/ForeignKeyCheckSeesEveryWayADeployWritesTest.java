package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.JavaMigration;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.CodeMigration;

/**
 * The scoped foreign-key check reads, from each statement, which tables a deploy may change.
 * Found by adversarial use on 2026-12-01: every way of writing that the reading missed let a
 * deploy commit an orphan (a Java migration, whose statements are never read; a trigger a
 * script put on the history table, which Lockstep's own insert fires; a rewrite of the schema
 * through {@code writable_schema}; a TEMP table that shadows the child, which the unqualified
 * check then looked at instead; a TEMP trigger; a name with a capital letter outside ASCII,
 * which SQLite does not fold and Java did; a trigger whose body was found by the word "begin";
 * the drop of the unique index a foreign key needs), and an unusable foreign key that was
 * there before failed any deploy that wrote its table.
 */
final class ForeignKeyCheckSeesEveryWayADeployWritesTest {
    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void parentAndChild() {
        fixture = new Fixture(dir);
        fixture.execute(
                "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id))",
                "CREATE TABLE log (x INTEGER)",
                "INSERT INTO p VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO c VALUES (10, 1), (20, 2)");
    }

    private void failsSaying(String expected, Migrator migrator) {
        MigrationFailedException failure = assertThrows(MigrationFailedException.class, migrator::migrate);
        assertTrue(failure.getMessage().contains(expected), failure.getMessage());
        assertEquals(List.of("1", "2"), fixture.column("SELECT id FROM p ORDER BY id"), "rolled back");
        assertEquals(List.of("10", "20"), fixture.column("SELECT id FROM c ORDER BY id"), "rolled back");
    }

    private void failsNamingTheOrphan(String table, String orphan) {
        failsSaying(
                "table [" + table + "] row [" + orphan + "] references a missing row of [p]",
                Migrator.create(fixture.config().build()));
    }

    @Test
    void aJavaMigrationThatDeletesAParentFailsTheDeploy() {
        JavaMigration purge = CodeMigration.of("1", "purge", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM p WHERE id = 2");
            }
        });

        fixture.script("002_later.sql", "CREATE TABLE later (x INTEGER);\n");

        failsSaying(
                "table [c] row [20] references a missing row of [p]",
                Migrator.create(fixture.config().javaMigration(purge).build()));
    }

    @Test
    void aTriggerOnTheHistoryTableFiredByLockstepsOwnInsertIsChecked() {
        fixture.script("001_audit.sql", """
                CREATE TRIGGER purge_on_record AFTER INSERT ON schema_migrations
                BEGIN DELETE FROM p WHERE id = 1; END;
                """);

        failsNamingTheOrphan("c", "10");
    }

    /**
     * Lockstep counts its own history insert as a write once per deploy, at the first row; a
     * trigger a later migration puts on the history table fires at the rows after. Found by
     * the review of 2026-12-01: it committed the orphan.
     */
    @Test
    void aTriggerALaterMigrationPutsOnTheHistoryTableIsChecked() {
        fixture.script("001_log.sql", "INSERT INTO log VALUES (1);\n");
        fixture.script("002_audit.sql", """
                CREATE TRIGGER purge_on_record AFTER INSERT ON schema_migrations
                BEGIN DELETE FROM p WHERE id = 1; END;
                """);

        failsNamingTheOrphan("c", "10");
    }

    @Test
    void aSchemaRewrittenThroughWritableSchemaIsChecked() {
        fixture.execute("CREATE TABLE other (id INTEGER PRIMARY KEY)");
        fixture.script("001_repoint.sql", """
                PRAGMA writable_schema = ON;
                UPDATE sqlite_schema SET sql = replace(sql, 'REFERENCES p', 'REFERENCES other') WHERE name = 'c';
                PRAGMA writable_schema = RESET;
                """);

        failsSaying(
                "references a missing row of [other]",
                Migrator.create(fixture.config().build()));
        assertEquals(List.of(), fixture.column("SELECT \"table\" FROM pragma_foreign_key_check"), "rolled back");
    }

    @Test
    void aTempTableThatShadowsTheChildDoesNotHideIt() {
        fixture.script("001_refill.sql", """
                CREATE TEMP TABLE c AS SELECT * FROM main.c;
                DELETE FROM main.c;
                INSERT INTO main.c SELECT id, pid + 100 FROM temp.c;
                """);

        failsNamingTheOrphan("c", "10");
    }

    @Test
    void aTempTriggerOnAMainTableIsFollowed() {
        fixture.script("001_purge.sql", """
                CREATE TEMP TRIGGER purge AFTER INSERT ON main.log BEGIN DELETE FROM p; END;
                INSERT INTO log VALUES (1);
                """);

        failsNamingTheOrphan("c", "10");
    }

    @Test
    void aTriggerNamedLikeBeginIsReadByItsBody() {
        fixture.execute("CREATE TRIGGER audit_begin INSERT ON log\n-- begin update of dependent rows\n"
                + "BEGIN DELETE FROM p WHERE id = 1; END");
        fixture.script("001_log.sql", "INSERT INTO log VALUES (1);\n");

        failsNamingTheOrphan("c", "10");
    }

    @Test
    void aChildWithACapitalOutsideAsciiIsChecked() {
        fixture.execute(
                "CREATE TABLE \"\u00c4rzte\" (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id))",
                "INSERT INTO \"\u00c4rzte\" VALUES (1, 1)");
        fixture.script("001_orphan.sql", "INSERT INTO \"\u00c4RZTE\" VALUES (2, 99);\n");

        failsSaying(
                "table [\u00c4rzte] row [2] references a missing row of [p]",
                Migrator.create(fixture.config().build()));
    }

    @Test
    void droppingTheUniqueIndexAForeignKeyNeedsFailsTheDeploy() {
        fixture.execute(
                "CREATE UNIQUE INDEX p_code ON p (code)",
                "CREATE TABLE tagged (id INTEGER PRIMARY KEY, code TEXT REFERENCES p (code))",
                "INSERT INTO tagged VALUES (1, 'a')");
        fixture.script("001_drop.sql", "DROP INDEX p_code;\n");

        failsSaying(
                "the foreign key of table [tagged] without a usable parent key: foreign key mismatch - \"tagged\" referencing \"p\"",
                Migrator.create(fixture.config().build()));
        assertEquals(List.of("p_code"), fixture.column("SELECT name FROM sqlite_schema WHERE name = 'p_code'"));
    }

    @Test
    void aForeignKeyWithoutAUsableKeyBeforeTheDeployDoesNotFailIt() {
        // SQLite lets a database be made this way; an application that never enforced foreign
        // keys may have one. The deploy did not make it, so it is not the deploy's to fail.
        fixture.execute("CREATE TABLE tagged (id INTEGER PRIMARY KEY, code TEXT REFERENCES p (code))");
        fixture.script("001_tag.sql", "INSERT INTO tagged VALUES (1, 'a');\nINSERT INTO p VALUES (3, 'c');\n");

        Migrator.create(fixture.config().build()).migrate();

        assertEquals(List.of("1"), fixture.column("SELECT id FROM tagged"));
    }

    @Test
    void renamesKeepAnOldOrphanOld() {
        fixture.execute("INSERT INTO c VALUES (30, 999)"); // an application that never enforced foreign keys
        fixture.script("001_kids.sql", "ALTER TABLE c RENAME TO kids;\n")
                .script("002_customers.sql", "ALTER TABLE p RENAME TO customers;\n")
                .script("003_column.sql", "ALTER TABLE kids RENAME COLUMN pid TO customer_id;\n");

        Migrator.create(fixture.config().build()).migrate();

        assertEquals(List.of("kids"), fixture.column("SELECT \"table\" FROM pragma_foreign_key_check"));
    }

    @Test
    void aNewOrphanLikeAnOldOneInARenamedTableStillFailsTheDeploy() {
        fixture.execute("INSERT INTO c VALUES (30, 999)");
        fixture.script("001_kids.sql", "ALTER TABLE c RENAME TO kids;\nINSERT INTO kids VALUES (40, 999);\n");

        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(fixture.config().build()).migrate());

        assertTrue(failure.getMessage().contains("references a missing row of [p]"), failure.getMessage());
        assertEquals(List.of("c"), fixture.column("SELECT name FROM sqlite_schema WHERE name IN ('c', 'kids')"));
    }
}

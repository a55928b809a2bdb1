package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationFailedException;
import org.lockstep.Migrator;

/**
 * Issue 11, items 3 and 4: the foreign-key check told old violations from new ones by rowid.
 * In a {@code WITHOUT ROWID} table every rowid is NULL, so every new orphan looked old; a
 * table rebuild renumbers rows, so an old orphan looked new.
 */
final class ForeignKeyCheckKnowsViolationsByValueTest {
    @TempDir
    Path dir;

    @Test
    void aNewOrphanInAWithoutRowidTableFailsTheDeploy() {
        Fixture fixture = new Fixture(dir).script("001_new_orphan.sql", "INSERT INTO c VALUES ('new', 98);");
        fixture.execute(
                "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id TEXT PRIMARY KEY, pid INT REFERENCES p (id)) WITHOUT ROWID",
                "INSERT INTO c VALUES ('old', 99)");

        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(fixture.config().build()).migrate());

        assertTrue(
                failure.getMessage().contains("table [c] row ['new'] references a missing row of [p]"),
                failure.getMessage());
        assertEquals(List.of("old"), fixture.column("SELECT id FROM c"), "rolled back");
    }

    @Test
    void aRebuildThatKeepsAnOldOrphanPassesWhateverItsRowidBecomes() {
        Fixture fixture = new Fixture(dir).script("001_rebuild_c.sql", """
                CREATE TABLE c_new (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id), note TEXT);
                INSERT INTO c_new (pid, note) SELECT pid, note FROM c ORDER BY id;
                DROP TABLE c;
                ALTER TABLE c_new RENAME TO c;
                """);
        fixture.execute(
                "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id), note TEXT)",
                "INSERT INTO p VALUES (1)",
                "INSERT INTO c VALUES (5, 1, 'a')",
                "INSERT INTO c VALUES (9, 1, 'b')",
                "INSERT INTO c VALUES (20, 77, 'old orphan')");

        Migrator.create(fixture.config().build()).migrate();

        assertEquals(List.of("1", "2", "3"), fixture.column("SELECT id FROM c ORDER BY id"), "renumbered");
        assertEquals(
                List.of("c"),
                fixture.column("SELECT \"table\" FROM pragma_foreign_key_check"),
                "the old orphan is still there, and only it");
    }

    @Test
    void aRebuildThatOrphansRowsStillFailsNamingTableRowAndParent() {
        Fixture fixture = new Fixture(dir).script("001_rebuild_p.sql", """
                CREATE TABLE p_new (id INTEGER PRIMARY KEY);
                INSERT INTO p_new SELECT id FROM p WHERE id <> 2;
                DROP TABLE p;
                ALTER TABLE p_new RENAME TO p;
                """);
        fixture.execute(
                "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id))",
                "INSERT INTO p VALUES (1), (2)",
                "INSERT INTO c VALUES (3, 1), (4, 2), (5, 77)");

        MigrationFailedException failure = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(fixture.config().build()).migrate());

        assertTrue(
                failure.getMessage()
                        .contains("table [c] row [4] references a missing row of [p]" + " (foreign key 0: pid=2)"),
                failure.getMessage());
        assertTrue(!failure.getMessage().contains("pid=77"), "the old orphan is not blamed: " + failure.getMessage());
        assertEquals(List.of("1", "2"), fixture.column("SELECT id FROM p ORDER BY id"), "rolled back");
    }
}

package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;

/** The summary of the violations a deploy introduced: at most ten kinds, then a count of the rest. */
final class ForeignKeyCheckTest {
    @TempDir
    Path dir;

    private static SqlStatement statement(String sql) throws Exception {
        return ScriptDialect.SQLITE.split(sql).get(0);
    }

    private List<String> introducedBy(int kinds) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(kinds + ".db"))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                statement.execute(
                        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
            }
            ForeignKeyCheck check = new ForeignKeyCheck(connection);
            StringBuilder insert = new StringBuilder("INSERT INTO child (parent_id) VALUES ");
            for (int i = 1; i <= kinds; i++) {
                insert.append(i == 1 ? "" : ", ").append("(").append(100 + i).append(")");
            }
            SqlStatement write = statement(insert.toString());
            check.beforeStatement(write);
            try (Statement statement = connection.createStatement()) {
                statement.execute(write.sql());
            }
            return check.introduced();
        }
    }

    @Test
    void theNewOrphanIsNamedNotAnOldOneBesideIt() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                statement.execute(
                        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
                statement.execute("INSERT INTO child VALUES (1, 7), (2, 7)"); // orphaned before the deploy
            }
            ForeignKeyCheck check = new ForeignKeyCheck(connection);
            SqlStatement write = statement("INSERT INTO child VALUES (3, 8)");
            check.beforeStatement(write);
            try (Statement statement = connection.createStatement()) {
                statement.execute(write.sql());
            }

            assertEquals(
                    List.of("table [child] row [3] references a missing row of [parent] (foreign key 0: parent_id=8)"),
                    check.introduced());
        }
    }

    @Test
    void tenKindsOfViolationAreAllShownWithoutASummary() throws Exception {
        List<String> found = introducedBy(10);

        assertEquals(10, found.size(), found::toString);
        assertTrue(
                found.get(0).startsWith("table [child] row [1] references a missing row of [parent]"), found::toString);
        assertTrue(found.stream().noneMatch(line -> line.startsWith("and [")), found::toString);
    }

    @Test
    void elevenKindsShowTheFirstTenAndCountTheRest() throws Exception {
        List<String> found = introducedBy(12);

        assertEquals(11, found.size(), found::toString);
        assertTrue(found.get(9).contains("parent_id=110"), found::toString);
        assertEquals("and [2] more", found.get(10));
    }

    @Test
    void rowsOfOneKindAreCountedInOneLine() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("rows.db"))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                statement.execute(
                        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
                statement.execute("INSERT INTO child (parent_id) VALUES (7)");
            }
            ForeignKeyCheck check = new ForeignKeyCheck(connection);
            SqlStatement write = statement("INSERT INTO child (parent_id) VALUES (7), (7), (8)");
            check.beforeStatement(write);
            try (Statement statement = connection.createStatement()) {
                statement.execute(write.sql());
            }

            assertEquals(
                    List.of(
                            "table [child] row [1] references a missing row of [parent] (foreign key 0: parent_id=7)"
                                    + " and [1] more rows like it",
                            "table [child] row [4] references a missing row of [parent] (foreign key 0: parent_id=8)"),
                    check.introduced());
        }
    }

    @Test
    void aDeployThatChangesNoTableChecksNothing() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("index.db"))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (a INTEGER)");
            }
            ForeignKeyCheck check = new ForeignKeyCheck(connection);
            check.beforeStatement(statement("CREATE INDEX t_a ON t (a)"));

            assertEquals(List.of(), check.introduced());
        }
    }
}

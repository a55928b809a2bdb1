package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintFinding;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;

/**
 * What a foreign key may reference, as SQLite decides it when a child row is written: a table
 * (not a view or a virtual table), and columns that are its primary key or a full unique
 * index, in any order; every other target makes every write to the child fail.
 */
final class ForeignKeyTargetTest {
    @TempDir
    Path dir;

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of(
                        "a view",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE VIEW pv AS SELECT id FROM p;\n"
                                + "CREATE TABLE c (pid INTEGER REFERENCES pv (id));",
                        "[pv] is a view, and a foreign key must reference a table"),
                Arguments.of(
                        "a virtual table",
                        "CREATE VIRTUAL TABLE docs USING fts5(body);\n"
                                + "CREATE TABLE c (doc INTEGER REFERENCES docs (body));",
                        "[docs] is a virtual table, and a foreign key must reference an ordinary table"),
                Arguments.of(
                        "a table that is not there",
                        "CREATE TABLE c (pid INTEGER REFERENCES nowhere (id));",
                        "table [nowhere] does not exist after the script"),
                Arguments.of(
                        "no parent columns and no primary key",
                        "CREATE TABLE p (a TEXT);\nCREATE TABLE c (x TEXT REFERENCES p);",
                        "it names no parent columns, and [p] has no PRIMARY KEY"),
                Arguments.of(
                        "no parent columns and a primary key of two",
                        "CREATE TABLE p (a TEXT, b TEXT, PRIMARY KEY (a, b));\nCREATE TABLE c (x TEXT REFERENCES p);",
                        "it has 1 column(s), and the PRIMARY KEY of [p] has 2"),
                Arguments.of(
                        "no parent columns and a primary key of one",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (x INTEGER REFERENCES p);",
                        null),
                Arguments.of(
                        "a column that is not there",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (x INTEGER REFERENCES p (nope));",
                        "table [p] has no column [nope]"),
                Arguments.of(
                        "a column that is neither key nor unique",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);\n"
                                + "CREATE TABLE c (x TEXT REFERENCES p (code));",
                        "(code) of [p] is neither its PRIMARY KEY nor a UNIQUE key"),
                Arguments.of(
                        "a column with a unique index",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);\nCREATE UNIQUE INDEX p_code ON p (code);\n"
                                + "CREATE TABLE c (x TEXT REFERENCES p (code));",
                        null),
                Arguments.of(
                        "a column with a partial unique index only",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);\n"
                                + "CREATE UNIQUE INDEX p_code ON p (code) WHERE code <> '';\n"
                                + "CREATE TABLE c (x TEXT REFERENCES p (code));",
                        "(code) of [p] is neither its PRIMARY KEY nor a UNIQUE key"),
                Arguments.of(
                        "two columns with a unique index on them in the other order",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\nCREATE UNIQUE INDEX p_ba ON p (b, a);\n"
                                + "CREATE TABLE c (x TEXT, y TEXT, FOREIGN KEY (x, y) REFERENCES p (a, b));",
                        null),
                Arguments.of(
                        "two columns of a unique index on three",
                        "CREATE TABLE p (id INTEGER PRIMARY KEY, a TEXT, b TEXT, d TEXT);\n"
                                + "CREATE UNIQUE INDEX p_abd ON p (a, b, d);\n"
                                + "CREATE TABLE c (x TEXT, y TEXT, FOREIGN KEY (x, y) REFERENCES p (a, b));",
                        "(a, b) of [p] is neither its PRIMARY KEY nor a UNIQUE key"),
                Arguments.of(
                        "a composite primary key in the other order",
                        "CREATE TABLE p (a TEXT, b TEXT, PRIMARY KEY (a, b));\n"
                                + "CREATE TABLE c (x TEXT, y TEXT, FOREIGN KEY (x, y) REFERENCES p (b, a));",
                        null),
                Arguments.of(
                        "one column of a composite primary key",
                        "CREATE TABLE p (a TEXT, b TEXT, PRIMARY KEY (a, b));\nCREATE TABLE c (x TEXT REFERENCES p (a));",
                        "(a) of [p] is neither its PRIMARY KEY nor a UNIQUE key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void aForeignKeyIsFlaggedOnlyWhereSqliteWouldRefuseItsWrites(String name, String script, String problem) {
        LintReport report = Histories.lint(dir, Histories.of("001_schema.sql", script + "\n"), LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f -> f.rule() == LintRule.FOREIGN_KEY_TARGET)
                .map(LintFinding::message)
                .toList();
        if (problem == null) {
            assertEquals(List.of(), found, report::toString);
        } else {
            assertEquals(1, found.size(), report::toString);
            assertTrue(
                    found.get(0).endsWith(": " + problem) || found.get(0).contains(": " + problem + ","),
                    found::toString);
            assertTrue(found.get(0).contains("of table [c]"), found::toString);
        }
    }
}

package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;

/**
 * Which statement a foreign key finding points at: for a child the script changed, the statement
 * that last defined it (its CREATE TABLE, or its last ADD, RENAME or DROP COLUMN that ran); for a
 * child left alone, the last statement that touched the parent. A bad key neither side of which
 * the script touched is not the script's finding.
 */
final class ForeignKeyCauseTest {
    private static final String BASE = """
            CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);
            CREATE TABLE c (id INTEGER PRIMARY KEY, x TEXT);
            CREATE TABLE q (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
            CREATE TABLE d (id INTEGER PRIMARY KEY, qcode TEXT REFERENCES q (code));
            CREATE TABLE b (id INTEGER PRIMARY KEY, pcode TEXT REFERENCES p (code));
            """;

    @TempDir
    Path dir;

    private static String finding(int line, String key, String child, String parent) {
        return line + " Foreign key " + key + " of table [" + child + "] in [002_change.sql] at line [" + line
                + "]: (code)"
                + " of [" + parent + "] is neither its PRIMARY KEY nor a UNIQUE key, so every write to the child fails"
                + " with 'foreign key mismatch'";
    }

    static Stream<Arguments> scripts() {
        String toP = "(pcode) REFERENCES p (code)";
        return Stream.of(
                Arguments.of(
                        "an added column, between statements on other tables",
                        "CREATE TABLE other (x);\nALTER TABLE c ADD COLUMN pcode TEXT REFERENCES p (code);\n"
                                + "ALTER TABLE other ADD COLUMN y TEXT;\n",
                        List.of(finding(2, toP, "c", "p"))),
                Arguments.of(
                        "an added column renamed after",
                        "ALTER TABLE c ADD COLUMN pcode TEXT REFERENCES p (code);\n"
                                + "ALTER TABLE c RENAME COLUMN pcode TO parent_code;\n",
                        List.of(finding(2, "(parent_code) REFERENCES p (code)", "c", "p"))),
                Arguments.of(
                        "another column dropped after",
                        "ALTER TABLE c ADD COLUMN pcode TEXT REFERENCES p (code);\nALTER TABLE c ADD COLUMN junk TEXT;\n"
                                + "ALTER TABLE c DROP COLUMN junk;\n",
                        List.of(finding(3, toP, "c", "p"))),
                Arguments.of(
                        "an alter after that fails",
                        "ALTER TABLE c ADD COLUMN pcode TEXT REFERENCES p (code);\nALTER TABLE c ADD COLUMN pcode TEXT;\n",
                        List.of(finding(1, toP, "c", "p"))),
                Arguments.of(
                        "a new child, its parent touched after",
                        "CREATE TABLE e (pcode TEXT REFERENCES p (code));\nCREATE INDEX p_code ON p (code);\n",
                        List.of(finding(1, toP, "e", "p"))),
                Arguments.of(
                        "a child left alone, its parent rebuilt without the unique key",
                        "CREATE TABLE q_new (id INTEGER PRIMARY KEY, code TEXT);\nINSERT INTO q_new SELECT * FROM q;\n"
                                + "DROP TABLE q;\nALTER TABLE q_new RENAME TO q;\nCREATE TABLE other (x);\n",
                        List.of(finding(4, "(qcode) REFERENCES q (code)", "d", "q"))),
                Arguments.of("neither side touched", "CREATE TABLE other (x);\n", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void aForeignKeyFindingPointsAtTheStatementThatMadeItBad(String name, String script, List<String> expected) {
        LintReport report = Histories.lint(
                dir, Histories.of("001_base.sql", BASE, "002_change.sql", script), LintOptions.defaults());

        List<String> found = report.findings().stream()
                .filter(f ->
                        f.rule() == LintRule.FOREIGN_KEY_TARGET && f.script().equals("002_change.sql"))
                .map(f -> f.line() + " " + f.message())
                .toList();
        assertEquals(expected, found, report::toString);
    }
}

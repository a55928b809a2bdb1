package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintRule;

/**
 * A rebuild whose new primary key needs an index (a key that is not an INTEGER PRIMARY KEY):
 * on the columns of the old primary key it adds no rule the rows could break; on other columns
 * it is a new unique constraint on a table that has rows.
 */
final class UniquePrimaryKeyRebuildTest {
    private static final String BASE = """
            CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE loose (id INTEGER, name TEXT);
            """;

    @TempDir
    Path dir;

    private static String rebuild(String table) {
        return "CREATE TABLE " + table + "_new (id INT PRIMARY KEY, name TEXT);\nINSERT INTO " + table + "_new SELECT *"
                + " FROM " + table + ";\nDROP TABLE " + table + ";\nALTER TABLE " + table + "_new RENAME TO " + table
                + ";\n";
    }

    static Stream<Arguments> rebuilds() {
        return Stream.of(
                Arguments.of("the same primary key, now with an index", rebuild("things"), List.of()),
                Arguments.of(
                        "a primary key where there was none",
                        rebuild("loose"),
                        List.of("Unique constraint (id) on existing table [loose] in [002_change.sql] at line [1]: rows"
                                + " already there may violate it")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebuilds")
    void aPrimaryKeyIndexIsNewOnlyWhereThePrimaryKeyIs(String name, String script, List<String> expected) {
        assertEquals(expected, Histories.messages(dir, BASE, script, LintRule.UNIQUE_INDEX_ON_EXISTING_TABLE));
    }
}

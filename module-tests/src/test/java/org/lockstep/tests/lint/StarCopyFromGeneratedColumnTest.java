package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LintRule;

/**
 * Regression: {@code SELECT *} from a table with a generated column yields that column too, so a
 * rebuild copying with a star takes each later column from the column of the same position
 * counting the generated one. The rule counted without it, named the wrong source ([tag] for
 * [body]) and missed a NOT NULL column whose position was past the end.
 */
final class StarCopyFromGeneratedColumnTest {
    private static final String BASE = "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
            + " slug TEXT AS (lower(title)), body TEXT, tag TEXT);\n";

    @TempDir
    Path dir;

    private List<String> notNullFindings(String newTable) {
        String script = newTable + "\nINSERT INTO posts_new SELECT * FROM posts;\nDROP TABLE posts;\n"
                + "ALTER TABLE posts_new RENAME TO posts;\n";
        return Histories.messages(dir, BASE, script, LintRule.REBUILD_NOT_NULL);
    }

    private static String takes(String column) {
        return "Table [posts] is rebuilt in [002_change.sql]: column [" + column + "] becomes NOT NULL, and the copy at"
                + " line [2] takes it from [" + column + "], which may hold NULL in existing rows";
    }

    @Test
    void aStarCopyNamesTheColumnTheValueComesFrom() {
        assertEquals(
                List.of(takes("body")),
                notNullFindings("CREATE TABLE posts_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL, slug TEXT,"
                        + " body TEXT NOT NULL, tag TEXT);"));
    }

    @Test
    void aStarCopyIntoTheLastColumnIsFlagged() {
        assertEquals(
                List.of(takes("tag")),
                notNullFindings("CREATE TABLE posts_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL, slug TEXT,"
                        + " body TEXT, tag TEXT NOT NULL);"));
    }
}

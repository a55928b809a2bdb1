package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.schema.Schema;
import org.lockstep.internal.schema.SchemaReader;
import org.lockstep.internal.schema.ScratchDatabase;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;

/**
 * The linter reads back only what a script's statements name ({@link Linter#changes}); after
 * every script of a history that renames, rebuilds both ways, drops columns, and creates and
 * drops virtual tables, that read equals a full read of the same database.
 */
final class TargetedReadTest {
    private static final List<String> SCRIPTS = List.of(
            """
            CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, bio TEXT);
            CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT);
            CREATE INDEX posts_author ON posts (author_id);
            CREATE VIEW post_titles AS SELECT p.title, a.name FROM posts p JOIN authors a ON a.id = p.author_id;
            CREATE TRIGGER posts_touch AFTER UPDATE ON posts BEGIN UPDATE authors SET bio = bio WHERE id = new.author_id; END;
            """,
            "CREATE VIRTUAL TABLE posts_fts USING fts5(title);",
            "ALTER TABLE authors RENAME COLUMN bio TO about;",
            "ALTER TABLE authors RENAME TO writers;",
            """
            DROP VIEW post_titles;
            ALTER TABLE posts RENAME TO posts_old;
            CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES writers (id), title TEXT NOT NULL DEFAULT '');
            INSERT INTO posts SELECT id, author_id, coalesce(title, '') FROM posts_old;
            DROP TABLE posts_old;
            CREATE INDEX posts_author ON posts (author_id);
            """,
            "ALTER TABLE writers DROP COLUMN about;",
            "ALTER TABLE posts_fts RENAME TO search;",
            "DROP TABLE search;",
            "CREATE UNIQUE INDEX IF NOT EXISTS main.\"Posts_Title\" ON \"POSTS\" (title) WHERE title <> '';",
            "PRAGMA user_version = 3;\nANALYZE;",
            "DROP INDEX posts_title;\nALTER TABLE writers ADD COLUMN email TEXT;");

    @Test
    void readOfWhatTheStatementsNameEqualsAFullReadAfterEveryScript() throws Exception {
        try (ScratchDatabase scratch = ScratchDatabase.open("test")) {
            SchemaReader targeted = new SchemaReader(scratch.connection(), Set.of("schema_migrations"));
            targeted.read();
            int targetedReads = 0;
            for (String script : SCRIPTS) {
                List<Event> events = new ArrayList<>();
                for (SqlStatement statement : ScriptDialect.SQLITE.split(script)) {
                    scratch.run(statement.sql());
                    events.add(new Event(statement, Shape.of(ScriptDialect.SQLITE.tokens(statement.sql())), null));
                }
                Optional<SchemaReader.Changes> changes = Linter.changes(events);
                Schema read = changes.isPresent() ? targeted.read(changes.get()) : targeted.read();
                targetedReads += changes.isPresent() ? 1 : 0;
                assertSame(full(scratch), read, script);
            }
            assertEquals(SCRIPTS.size() - 1, targetedReads, "only the ANALYZE script needs a full read");
        }
    }

    private static Schema full(ScratchDatabase scratch) throws SQLException {
        return new SchemaReader(scratch.connection(), Set.of("schema_migrations")).read();
    }

    private static void assertSame(Schema expected, Schema actual, String after) {
        assertEquals(expected.tables(), actual.tables(), after);
        assertEquals(expected.indexes(), actual.indexes(), after);
        assertEquals(expected.triggers(), actual.triggers(), after);
        assertEquals(expected.views(), actual.views(), after);
        assertTrue(!expected.tables().isEmpty(), after);
    }
}

package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.schema.SchemaReader;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;

/**
 * Which names a script's statements let the linter read back ({@link Linter#changes}), case by
 * case: a statement that may change the schema in a way its names do not say asks for a full
 * read (empty), one that changes no definition adds nothing.
 */
final class SchemaChangesTest {
    private static Optional<SchemaReader.Changes> changes(String... statements) {
        List<Event> events = new java.util.ArrayList<>();
        for (String sql : statements) {
            events.add(new Event(new SqlStatement(sql, 1), Shape.of(ScriptDialect.SQLITE.tokens(sql)), null));
        }
        return Linter.changes(events);
    }

    @Test
    void statementsWhoseEffectOnTheSchemaTheirNamesDoNotSayAskForAFullRead() {
        for (String sql : List.of(
                "PRAGMA user_version = 3",
                "ANALYZE",
                "REINDEX t",
                "CREATE TEMP TABLE scratch (a)",
                "DROP TEMP VIEW v",
                "ALTER TABLE",
                "DROP INDEX")) {
            assertEquals(Optional.empty(), changes("CREATE TABLE t (a)", sql), sql);
        }
    }

    @Test
    void dataStatementsAddNoName() {
        Optional<SchemaReader.Changes> read = changes(
                "SELECT 1",
                "DELETE FROM t",
                "INSERT INTO t VALUES (1)",
                "UPDATE t SET a = 1",
                "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
                "VACUUM");
        assertTrue(read.isPresent());
        assertEquals(Set.of(), read.get().names());
        assertEquals(Set.of(), read.get().mentioned());
        assertEquals(Set.of(), read.get().prefixes());
    }

    @Test
    void definitionsNameTheirObjectAndItsTable() {
        SchemaReader.Changes read = changes(
                        "CREATE TABLE \"Notes\" (a)",
                        "CREATE INDEX i ON \"Notes\" (a)",
                        "DROP VIEW v",
                        "ALTER TABLE u ADD COLUMN b",
                        "ALTER TABLE w RENAME COLUMN a TO c")
                .orElseThrow();
        assertEquals(Set.of("notes", "i", "v", "u", "w"), read.names());
        assertEquals(Set.of("notes_"), read.prefixes());
        assertEquals(Set.of("w"), read.mentioned());
    }
}

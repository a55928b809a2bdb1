package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.schema.Schema;
import org.lockstep.internal.schema.SchemaReader;
import org.lockstep.internal.schema.ScratchDatabase;
import org.lockstep.internal.sim.PropertyRunner;
import org.lockstep.internal.sim.Tape;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;

/**
 * The linter's targeted read of the schema ({@link SchemaReader#read(SchemaReader.Changes)},
 * with {@link Linter#changes}) equals a full read after every script of generated histories:
 * tables created, renamed both ways, rebuilt, altered and dropped under names that share
 * prefixes, indexes, views and triggers that come and go, an FTS5 table with its shadow
 * tables beside an ordinary table named like one, statements that fail. Seeded, shrunk and
 * replayable with {@code -Dlockstep.seed=N} (the harness of the simulation).
 */
final class TargetedReadProperties {
    private static final List<String> TABLES = List.of("t", "u", "t_x");

    @Test
    void theTargetedReadEqualsAFullReadAfterEveryScript() {
        PropertyRunner.check("targeted schema read = full read", 200, (tape, keepTrace, report) -> {
            List<List<String>> scripts = new ArrayList<>();
            int count = 1 + tape.draw(6);
            for (int s = 0; s < count; s++) {
                List<String> script = new ArrayList<>();
                int statements = 1 + tape.draw(4);
                for (int i = 0; i < statements; i++) {
                    script.addAll(statement(tape));
                }
                scripts.add(script);
            }
            report.scenario = "scripts " + scripts;
            try {
                check(scripts);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // 0 draws the simplest: creating table t.
    private static List<String> statement(Tape tape) {
        String t = TABLES.get(tape.draw(TABLES.size()));
        String other = TABLES.get(tape.draw(TABLES.size()));
        return switch (tape.draw(20)) {
            case 0 -> List.of("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, a TEXT, b INT)");
            case 1 ->
                List.of("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, a TEXT NOT NULL COLLATE NOCASE,"
                        + " c INT REFERENCES " + other + " (id) ON DELETE CASCADE)");
            case 2 -> List.of("DROP TABLE " + t);
            case 3 -> List.of("ALTER TABLE " + t + " RENAME TO " + other);
            case 4 -> List.of("ALTER TABLE " + t + " ADD COLUMN d TEXT DEFAULT 'x'");
            case 5 -> List.of("ALTER TABLE " + t + " RENAME COLUMN a TO a2");
            case 6 -> List.of("ALTER TABLE " + t + " DROP COLUMN b");
            case 7 -> List.of("CREATE INDEX " + t + "_a ON " + t + " (a)");
            case 8 -> List.of("CREATE UNIQUE INDEX ix ON " + t + " (b) WHERE b > 0");
            case 9 -> List.of("DROP INDEX ix");
            case 10 -> List.of("CREATE VIEW v AS SELECT a FROM " + t);
            case 11 -> List.of("DROP VIEW v");
            case 12 -> List.of("CREATE TRIGGER tr AFTER INSERT ON " + t + " BEGIN UPDATE " + other + " SET b = 1; END");
            case 13 -> List.of("DROP TRIGGER tr");
            case 14 -> List.of("CREATE VIRTUAL TABLE f USING fts5(a)");
            case 15 -> List.of("CREATE TABLE f_extra (x)");
            case 16 -> List.of("DROP TABLE f");
            case 17 -> List.of("INSERT INTO " + t + " (a) VALUES ('x')");
            case 18 -> List.of(tape.chance(50) ? "ANALYZE" : "PRAGMA user_version = 7");
            default ->
                List.of(
                        "CREATE TABLE " + t + "_new (id INTEGER PRIMARY KEY, a TEXT, b INT CHECK (b >= 0))",
                        "INSERT INTO " + t + "_new SELECT id, a, b FROM " + t,
                        "DROP TABLE " + t,
                        "ALTER TABLE " + t + "_new RENAME TO " + t);
        };
    }

    private static void check(List<List<String>> scripts) throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.open("test")) {
            SchemaReader targeted = new SchemaReader(scratch.connection(), Set.of("schema_migrations"));
            targeted.read();
            for (List<String> script : scripts) {
                List<Event> events = new ArrayList<>();
                for (String sql : script) {
                    String error = null;
                    try {
                        scratch.run(sql);
                    } catch (SQLException e) {
                        error = e.getMessage();
                    }
                    events.add(new Event(new SqlStatement(sql, 1), Shape.of(ScriptDialect.SQLITE.tokens(sql)), error));
                }
                Optional<SchemaReader.Changes> changes = Linter.changes(events);
                Schema read = changes.isPresent() ? targeted.read(changes.get()) : targeted.read();
                Schema full = new SchemaReader(scratch.connection(), Set.of("schema_migrations")).read();
                String after = "after " + script + " (" + changes + ")";
                assertEquals(full.tables(), read.tables(), after);
                assertEquals(full.indexes(), read.indexes(), after);
                assertEquals(full.triggers(), read.triggers(), after);
                assertEquals(full.views(), read.views(), after);
            }
        }
    }
}

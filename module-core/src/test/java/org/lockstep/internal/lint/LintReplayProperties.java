package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LintFinding;
import org.lockstep.LintOptions;
import org.lockstep.LintRule;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;
import org.lockstep.internal.sim.PropertyRunner;
import org.lockstep.internal.sim.Tape;

/**
 * Lint on generated histories of schema changes, some statements cut short as a half-edited
 * script has them: it always returns a report (never an exception), and its replay-failed
 * findings are exactly the statements that fail when the same history is replayed into an
 * empty SQLite database statement by statement. Seeded, shrunk and replayable with
 * {@code -Dlockstep.seed=N} (the harness of the simulation).
 */
final class LintReplayProperties {
    // Each a statement of its own line; a trigger is never cut (its body would swallow the rest).
    private static final List<String> STATEMENTS = List.of(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)",
            "CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id), c TEXT)",
            "CREATE INDEX t_a ON t (a)",
            "CREATE UNIQUE INDEX u_c ON u (c)",
            "CREATE VIEW v AS SELECT a FROM t",
            "ALTER TABLE t ADD COLUMN d TEXT",
            "ALTER TABLE t RENAME COLUMN a TO a2",
            "ALTER TABLE u DROP COLUMN c",
            "ALTER TABLE u RENAME TO w",
            "DROP TABLE t",
            "DROP INDEX t_a",
            "DROP VIEW v",
            "DROP TRIGGER tr",
            "INSERT INTO t (a, b) VALUES ('x', 1)",
            "UPDATE t SET b = b + 1 WHERE a IS NOT NULL",
            "DELETE FROM u WHERE t_id NOT IN (SELECT id FROM t)",
            "PRAGMA user_version = 2",
            "ANALYZE",
            "CREATE TABLE t_new (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER)",
            "INSERT INTO t_new SELECT id, coalesce(a, ''), b FROM t",
            "ALTER TABLE t_new RENAME TO t");
    private static final String TRIGGER = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET c = new.a; END";

    @TempDir
    Path dir;

    private int cases;

    @Test
    void lintReportsExactlyTheStatementsThatFailInAPlainReplay() {
        PropertyRunner.check(
                "lint's replay-failed findings = a plain replay's failures", 100, (tape, keepTrace, report) -> {
                    List<List<String>> scripts = new ArrayList<>();
                    int count = 1 + tape.draw(3);
                    for (int s = 0; s < count; s++) {
                        List<String> script = new ArrayList<>();
                        int statements = 1 + tape.draw(4);
                        for (int i = 0; i < statements; i++) {
                            script.add(statement(tape));
                        }
                        scripts.add(script);
                    }
                    report.scenario = "scripts " + scripts;
                    assertEquals(plainReplayFailures(scripts), lintReplayFailures(scripts));
                });
    }

    // 0 draws the simplest: the first statement, whole.
    private static String statement(Tape tape) {
        int pick = tape.draw(STATEMENTS.size() + 1);
        if (pick == STATEMENTS.size()) {
            return TRIGGER;
        }
        String sql = STATEMENTS.get(pick);
        if (!tape.chance(25)) {
            return sql;
        }
        String[] words = sql.split(" ");
        int keep = 1 + tape.draw(words.length - 1); // a statement cut after one of its words
        return String.join(" ", List.of(words).subList(0, keep));
    }

    private static String fileName(int index) {
        return String.format("%03d_step.sql", index + 1);
    }

    private Set<String> lintReplayFailures(List<List<String>> scripts) {
        Path folder = dir.resolve("case-" + cases++);
        try {
            Files.createDirectories(folder);
            for (int s = 0; s < scripts.size(); s++) {
                Files.writeString(folder.resolve(fileName(s)), String.join(";\n", scripts.get(s)) + ";\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite::memory:")
                .location(folder)
                .build();
        Set<String> failed = new TreeSet<>();
        for (LintFinding finding :
                Migrator.create(config).lint(LintOptions.defaults()).findings()) {
            if (finding.rule() == LintRule.REPLAY_FAILED) {
                failed.add(finding.script() + ":" + finding.line());
            }
        }
        return failed;
    }

    private static Set<String> plainReplayFailures(List<List<String>> scripts) {
        Set<String> failed = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement statement = connection.createStatement()) {
            for (int s = 0; s < scripts.size(); s++) {
                List<String> script = scripts.get(s);
                for (int i = 0; i < script.size(); i++) {
                    try {
                        statement.execute(script.get(i));
                    } catch (SQLException e) {
                        failed.add(fileName(s) + ":" + (i + 1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return failed;
    }
}

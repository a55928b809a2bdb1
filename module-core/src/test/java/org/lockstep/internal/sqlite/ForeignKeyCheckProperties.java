package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.internal.sim.PropertyRunner;
import org.lockstep.internal.sim.Tape;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;

/**
 * The scoped foreign-key check against the whole database's: for generated deploys (inserts
 * and updates that may orphan, deletes of parents directly or through a trigger, statements
 * whose targets the tokens do not say, a rebuild of the parent table, statements that write
 * nothing) on a database that may hold old orphans, the kinds of violation
 * {@link ForeignKeyCheck#introduced} reports are exactly those whose count grew between a
 * {@code PRAGMA foreign_key_check} of the whole database before the deploy and one after.
 * Seeded, shrunk and replayable with {@code -Dlockstep.seed=N} (the harness of the simulation).
 */
final class ForeignKeyCheckProperties {
    private static final Pattern KIND = Pattern.compile("table \\[(\\w+)] .*?: (\\w+=\\S+?)\\)");

    @TempDir
    Path dir;

    private int cases;

    @Test
    void theScopedCheckReportsWhatTheWholeDatabaseCheckSaysTheDeployIntroduced() {
        PropertyRunner.check("scoped foreign-key check = whole-database check", 100, (tape, keepTrace, report) -> {
            List<String> setup = new ArrayList<>(List.of(
                    "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id))",
                    "CREATE TABLE d (id INTEGER PRIMARY KEY, cid INTEGER REFERENCES c (id))",
                    "CREATE TABLE log (x INTEGER)"));
            boolean trigger = tape.chance(50);
            if (trigger) {
                setup.add("CREATE TRIGGER log_purges AFTER INSERT ON log BEGIN DELETE FROM p WHERE id = NEW.x; END");
            }
            for (int id = 1; id <= 3; id++) {
                if (tape.draw(4) != 0) {
                    setup.add("INSERT INTO p VALUES (" + id + ")");
                }
            }
            int rows = tape.draw(4);
            for (int id = 1; id <= rows; id++) {
                setup.add("INSERT INTO c VALUES (" + id + ", " + (1 + tape.draw(5)) + ")"); // 4 and 5: old orphans
            }
            if (tape.chance(30)) {
                setup.add("INSERT INTO d VALUES (1, " + (1 + tape.draw(5)) + ")");
            }
            List<String> deploy = new ArrayList<>();
            int statements = 1 + tape.draw(5);
            for (int i = 0; i < statements; i++) {
                deploy.addAll(statement(tape, 10 + i, trigger));
            }
            report.scenario = "setup " + setup + "\ndeploy " + deploy;
            try {
                check(setup, deploy);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // One generated statement (a rebuild is four); 0 draws the simplest, an insert of a parent.
    // No rebuild of p under the trigger: SQLite refuses to rename a table over a trigger's target.
    private static List<String> statement(Tape tape, int id, boolean trigger) {
        int k = 1 + tape.draw(5);
        return switch (tape.draw(trigger ? 9 : 10)) {
            case 0 -> List.of("INSERT OR IGNORE INTO p VALUES (" + k + ")");
            case 1 -> List.of("INSERT INTO c VALUES (" + id + ", " + k + ")");
            case 2 -> List.of("DELETE FROM p WHERE id = " + k);
            case 3 -> List.of("WITH n (v) AS (SELECT " + k + ") INSERT OR IGNORE INTO p SELECT v FROM n");
            case 4 -> List.of("UPDATE c SET pid = " + k + " WHERE id = " + (1 + tape.draw(3)));
            case 5 -> List.of("INSERT INTO log VALUES (" + k + ")");
            case 6 -> List.of("DELETE FROM c WHERE id = " + k);
            case 7 -> List.of("INSERT INTO d VALUES (" + id + ", " + k + ")");
            case 8 -> List.of("CREATE INDEX IF NOT EXISTS c_pid ON c (pid)");
            default ->
                List.of(
                        "CREATE TABLE p_new (id INTEGER PRIMARY KEY)",
                        "INSERT INTO p_new SELECT id FROM p WHERE id <> " + k,
                        "DROP TABLE p",
                        "ALTER TABLE p_new RENAME TO p");
        };
    }

    private void check(List<String> setup, List<String> deploy) throws Exception {
        Path file = dir.resolve("case-" + cases++ + ".db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA foreign_keys = OFF"); // as a deploy runs
            for (String sql : setup) {
                statement.execute(sql);
            }
            connection.setAutoCommit(false);
            Map<String, Integer> before = wholeCheck(connection);
            ForeignKeyCheck check = new ForeignKeyCheck(connection);
            for (String sql : deploy) {
                SqlStatement parsed = ScriptDialect.SQLITE.split(sql + ";").get(0);
                check.beforeStatement(parsed);
                statement.execute(parsed.sql());
            }
            Set<String> expected = new TreeSet<>();
            wholeCheck(connection).forEach((kind, count) -> {
                if (count > before.getOrDefault(kind, 0)) {
                    expected.add(kind);
                }
            });
            Set<String> reported = new TreeSet<>();
            for (String line : check.introduced()) {
                Matcher kind = KIND.matcher(line);
                reported.add(kind.find() ? kind.group(1) + ":" + kind.group(2) : line);
            }
            connection.rollback();
            assertEquals(expected, reported);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // Every violation of the database, by kind (child table and its value), with its rows.
    private static Map<String, Integer> wholeCheck(Connection connection) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        Map<String, Integer> kinds = new HashMap<>();
        for (String[] row : rows) {
            String column = row[0].equals("c") ? "pid" : "cid";
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT " + column + " FROM " + row[0] + " WHERE rowid = " + row[1])) {
                rs.next();
                kinds.merge(row[0] + ":" + column + "=" + rs.getString(1), 1, Integer::sum);
            }
        }
        return kinds;
    }
}

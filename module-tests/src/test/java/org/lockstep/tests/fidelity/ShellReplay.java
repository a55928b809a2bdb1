package org.lockstep.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the fidelity tests compare Lockstep against: the same files run one by one by the
 * {@code sqlite3} shell, and a dump of the schema and every row that two databases must share.
 */
final class ShellReplay {
    private ShellReplay() {}

    /** Copies the named scripts from {@code folder} beside {@code owner} into {@code target}/migrations. */
    static Path copyHistory(Class<?> owner, String folder, List<String> names, Path target) throws Exception {
        Path scripts = Files.createDirectories(target.resolve("migrations"));
        for (String name : names) {
            try (InputStream in = owner.getResourceAsStream(folder + "/" + name)) {
                Files.write(scripts.resolve(name), in.readAllBytes());
            }
        }
        return scripts;
    }

    /** Runs each script through {@code sqlite3 [flags] database}, as a user would, and asserts it succeeded. */
    static void runWithShell(Path database, Path scripts, List<String> names, String... flags) throws Exception {
        for (String name : names) {
            List<String> command = new ArrayList<>(List.of("sqlite3"));
            command.addAll(List.of(flags));
            command.add(database.toString());
            Process shell = new ProcessBuilder(command)
                    .redirectInput(scripts.resolve(name).toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "sqlite3 did not finish " + name);
            assertEquals(0, shell.exitValue(), "sqlite3 failed on " + name + ": " + output);
            assertEquals("", output, "the shell reported something for " + name);
        }
    }

    /**
     * The whole schema as SQLite stores it and every row of every table, Lockstep's history
     * aside, rows in sorted order; {@code tables} narrows which tables' rows are dumped (an SQL
     * condition on {@code name}, {@code "1"} for all).
     */
    static String dump(Path database, String tables) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String row : strings(
                database,
                "SELECT type || ' ' || name || ' ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_master"
                        + " WHERE name NOT LIKE '%schema_migrations%' ORDER BY type, name")) {
            text.append(row).append('\n');
        }
        for (String table : strings(
                database,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations' AND (" + tables
                        + ") ORDER BY name")) {
            List<String> rows = rows(database, "SELECT * FROM \"" + table + "\"");
            rows.sort(null);
            text.append(table).append(": ").append(rows).append('\n');
        }
        return text.toString();
    }

    /** Every row of a query, as {@code (a|b|c)}, in the query's order. */
    static List<String> rows(Path database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder("(");
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append(i < columns ? "|" : ")");
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** The first column of every row of a query; {@code database} is a path, or a path with URL parameters. */
    static List<String> strings(Object database, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}

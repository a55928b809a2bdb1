package org.lockstep.tests.regressions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lockstep.MigrationConfig;
import org.lockstep.cli.LockstepTool;

/**
 * What the regression tests share: a SQLite file, a folder of scripts, plain-JDBC access to
 * the file, and the command run in-process.
 */
final class Fixture {
    final Path database;
    final Path scripts;

    Fixture(Path dir) {
        this.database = dir.resolve("app.db");
        try {
            this.scripts = Files.createDirectories(dir.resolve("migrations"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "jdbc:sqlite:" + database;
    }

    /** A configuration for this database and folder, owner {@code tester}. */
    MigrationConfig.Builder config() {
        return MigrationConfig.builder().url(url()).location(scripts).owner("tester");
    }

    Fixture script(String name, String text) {
        try {
            Files.writeString(scripts.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    void execute(String... sql) {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed", e);
        }
    }

    /** The first column of every row, as text. */
    List<String> column(String sql) {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** What one run of the command printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    /** Runs the command in-process with these arguments and an empty environment. */
    static Run lockstep(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode;
        try (PrintWriter outWriter = new PrintWriter(out);
                PrintWriter errWriter = new PrintWriter(err)) {
            exitCode = new LockstepTool(Map.of()).run(outWriter, errWriter, args);
        }
        return new Run(exitCode, out.toString(), err.toString());
    }
}

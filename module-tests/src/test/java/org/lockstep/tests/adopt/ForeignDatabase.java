package org.lockstep.tests.adopt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.lockstep.tests.cli.Workspace;

/**
 * A SQLite database that another tool migrated, for the adoption tests: the scripts in
 * {@code root/migrations}, run as the tool runs them, and the tool's history table as the
 * tool's source creates and fills it. Reads go through plain JDBC.
 */
final class ForeignDatabase {
    private final Workspace workspace;

    ForeignDatabase(Path root) {
        this.workspace = Workspace.in(root);
    }

    Workspace workspace() {
        return workspace;
    }

    Path database() {
        return workspace.database();
    }

    String url() {
        return "jdbc:sqlite:" + database();
    }

    /** Writes a script into the migrations folder and returns its path. */
    Path script(String name, String text) {
        return workspace.script(name, text);
    }

    /** Writes raw bytes as a script (line endings and marks as given) and returns its path. */
    Path scriptBytes(String name, byte[] bytes) {
        return Workspace.write(workspace.migrations().resolve(name), bytes);
    }

    /** Runs a script's statements on the database one by one, as a tool that ran the file would. */
    void runScript(String name) {
        try {
            String text = Files.readString(workspace.migrations().resolve(name), StandardCharsets.UTF_8);
            try (Connection c = DriverManager.getConnection(url());
                    Statement s = c.createStatement()) {
                for (String statement : text.split(";\\s*(\\n|$)")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("running " + name, e);
        }
    }

    /** Runs statements with plain JDBC. */
    void execute(String... sql) {
        workspace.execute(sql);
    }

    /** Runs one statement with parameters. */
    void update(String sql, Object... parameters) {
        try (Connection c = DriverManager.getConnection(url());
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    List<List<String>> rows(String sql) {
        return workspace.rows(sql);
    }

    List<String> column(String sql) {
        return workspace.column(sql);
    }

    /** The file's bytes, to show a refusal changed nothing. */
    byte[] bytes() {
        return Workspace.bytes(database());
    }

    /** Runs {@code lockstep command --database DB --migrations DIR extra...}. */
    Workspace.Run lockstep(String command, String... extra) {
        return workspace.lockstep(command, extra);
    }

    /** Lockstep's history rows (version, script, checksum, applied_at, applied_by, execution_ms) of a table. */
    List<List<String>> lockstepHistory(String table) {
        return rows("SELECT version, script, checksum, applied_at, applied_by, execution_ms FROM " + table
                + " ORDER BY version");
    }

    static List<String> firsts(List<List<String>> rows) {
        List<String> firsts = new ArrayList<>();
        for (List<String> row : rows) {
            firsts.add(row.get(0));
        }
        return firsts;
    }

    /** Whether the database has a table of that name. */
    boolean hasTable(String name) {
        try (Connection c = DriverManager.getConnection(url());
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.lockstep.tests.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lockstep.cli.LockstepTool;
import org.lockstep.tests.fixture.SqliteDatabase;

/**
 * A folder for one black-box test of the {@code lockstep} command: a migrations folder, a
 * database path, a way to run the command in-process, and plain-JDBC reads of the database.
 * Public for the regression tests, which live in their own package.
 */
public final class Workspace {
    private final Path migrations;
    private final SqliteDatabase sqlite;

    private Workspace(Path migrations, SqliteDatabase sqlite) {
        this.migrations = migrations;
        this.sqlite = sqlite;
    }

    /** Creates {@code root/migrations}; the database {@code root/app.db} does not exist yet. */
    public static Workspace in(Path root) {
        try {
            return new Workspace(
                    Files.createDirectories(root.resolve("migrations")), SqliteDatabase.create(root, "app"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path migrations() {
        return migrations;
    }

    public Path database() {
        return sqlite.file();
    }

    /** Writes a script as UTF-8 into the migrations folder and returns its path. */
    public Path script(String fileName, String text) {
        return write(migrations.resolve(fileName), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes to a file and returns its path. */
    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a file's bytes. */
    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code lockstep COMMAND --database DB --migrations DIR EXTRA...} with an empty environment. */
    public Run lockstep(String command, String... extra) {
        List<String> args = new ArrayList<>(
                List.of(command, "--database", database().toString(), "--migrations", migrations.toString()));
        args.addAll(List.of(extra));
        return run(Map.of(), args.toArray(String[]::new));
    }

    /** Runs the command in-process with exactly these arguments and environment. */
    public static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode;
        try (PrintWriter outWriter = new PrintWriter(out);
                PrintWriter errWriter = new PrintWriter(err)) {
            exitCode = new LockstepTool(env).run(outWriter, errWriter, args);
        }
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** Returns every row of {@code sqlite_master} as text, in a stable order: the whole schema. */
    public List<List<String>> sqliteMaster() {
        return rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
    }

    /** Returns "type name" of every schema object a script can create (no automatic indexes), sorted. */
    public List<String> schemaObjects() {
        return column("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex_%'"
                + " ORDER BY type, name");
    }

    /** Returns every history row as text, in version order of insertion. */
    public List<List<String>> history() {
        return rows("SELECT version, description, script, checksum, applied_at, applied_by, execution_ms"
                + " FROM schema_migrations ORDER BY rowid");
    }

    /** Returns the applied versions in insertion order. */
    public List<String> appliedVersions() {
        return column("SELECT version FROM schema_migrations ORDER BY rowid");
    }

    /** Returns the first column of every row of the query. */
    public List<String> column(String sql) {
        List<String> values = new ArrayList<>();
        for (List<String> row : rows(sql)) {
            values.add(row.get(0));
        }
        return values;
    }

    /** Runs a query on the database with plain JDBC and returns every row as text. */
    public List<List<String>> rows(String sql) {
        try {
            return sqlite.rows(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** Runs statements on the database with plain JDBC, one per call. */
    public void execute(String... sql) {
        try {
            sqlite.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed", e);
        }
    }

    /**
     * What one run of the command did.
     *
     * @param exitCode the exit code
     * @param out what it printed to standard output
     * @param err what it printed to standard error
     */
    public record Run(int exitCode, String out, String err) {
        /** Returns the lines of standard output that start with the prefix. */
        public List<String> outLinesStartingWith(String prefix) {
            return out.lines().filter(line -> line.startsWith(prefix)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }
}

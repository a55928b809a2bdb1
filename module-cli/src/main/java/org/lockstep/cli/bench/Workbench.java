package org.lockstep.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.lockstep.MigrationConfig;

/**
 * What every section works with: the settings, a scratch folder that hands out fresh
 * database files, the generated scripts, and a progress line on stderr. Used by one thread.
 */
final class Workbench {
    private final BenchSettings settings;
    private final Path scratch;
    private final PrintWriter progress;
    private final Map<String, Path> scripts = new HashMap<>();
    private int databases;

    /**
     * Creates the workbench.
     *
     * @param settings the settings
     * @param scratch an empty folder this workbench owns
     * @param progress where progress lines go
     */
    Workbench(BenchSettings settings, Path scratch, PrintWriter progress) {
        this.settings = settings;
        this.scratch = scratch;
        this.progress = progress;
    }

    /** Returns the settings. */
    BenchSettings settings() {
        return settings;
    }

    /** Returns the scratch folder. */
    Path scratch() {
        return scratch;
    }

    /** Prints one progress line. */
    void progress(String line) {
        progress.println("bench: " + line);
        progress.flush();
    }

    /** Returns the path of a database file that does not exist yet. */
    Path freshDatabase() {
        return scratch.resolve("db-" + (++databases) + ".db");
    }

    /**
     * Deletes a database file and its journal, WAL and shared-memory files.
     *
     * @param database the file
     * @throws IOException if a file cannot be deleted
     */
    void discard(Path database) throws IOException {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
        }
    }

    /** Returns the folder of the 50 realistic scripts, writing it the first time. */
    Path realisticScripts() throws IOException {
        Path dir = scripts.get("realistic");
        if (dir == null) {
            dir = Workload.writeRealistic(scratch.resolve("scripts-realistic"));
            scripts.put("realistic", dir);
        }
        return dir;
    }

    /** Returns the folder of {@code count} generated scripts, writing it the first time. */
    Path generatedScripts(int count) throws IOException {
        String key = "generated-" + count;
        Path dir = scripts.get(key);
        if (dir == null) {
            dir = Workload.writeGenerated(scratch.resolve("scripts-" + key), count);
            scripts.put(key, dir);
        }
        return dir;
    }

    /**
     * Returns a configuration builder for a database and a script folder.
     *
     * @param database the database file
     * @param location the script folder
     * @param owner who the worker is in the history table
     * @return the builder, with every other setting at its default
     */
    static MigrationConfig.Builder config(Path database, Path location, String owner) {
        return MigrationConfig.builder().url(url(database)).location(location).owner(owner);
    }

    /** Returns the JDBC URL of a database file. */
    static String url(Path database) {
        return "jdbc:sqlite:" + database;
    }

    /** Opens a plain JDBC connection, in auto-commit mode with the driver's defaults. */
    static Connection open(Path database) throws SQLException {
        return DriverManager.getConnection(url(database));
    }
}

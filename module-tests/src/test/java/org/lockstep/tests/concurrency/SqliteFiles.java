package org.lockstep.tests.concurrency;

import java.io.IOException;
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

/** Plain-JDBC looks at SQLite files and script folders, independent of the code under test. */
final class SqliteFiles {
    private SqliteFiles() {
    }

    static String url(Path database) {
        return "jdbc:sqlite:" + database;
    }

    static Connection open(Path database) throws SQLException {
        return DriverManager.getConnection(url(database));
    }

    static long count(Path database, String sql) throws SQLException {
        try (Connection connection = open(database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> strings(Path database, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = open(database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static void execute(Path database, String... sql) throws SQLException {
        try (Connection connection = open(database); Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        }
    }

    static boolean tableExists(Path database, String table) throws SQLException {
        return count(database, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'") > 0;
    }

    /** The schema and every table's rows, as text: equal dumps mean equal databases. */
    static String dump(Path database) throws SQLException {
        StringBuilder dump = new StringBuilder();
        List<String> tables = strings(database,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        dump.append(strings(database, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"));
        try (Connection connection = open(database); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                dump.append('\n').append(table).append(':');
                try (ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY 1")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        dump.append(" (");
                        for (int i = 1; i <= columns; i++) {
                            dump.append(rs.getString(i)).append(i < columns ? "," : ")");
                        }
                    }
                }
            }
        }
        return dump.toString();
    }

    static String integrityCheck(Path database) throws SQLException {
        return String.join(";", strings(database, "PRAGMA integrity_check"));
    }

    static void write(Path folder, String name, String text) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the herd tests' scripts 1..count. Odd versions create a table; every version
     * inserts one row into {@code effects}, which is not idempotent, so a migration applied
     * twice shows as two rows with the same version.
     */
    static void writeHerdScripts(Path folder, int from, int to) {
        for (int v = from; v <= to; v++) {
            StringBuilder sql = new StringBuilder();
            if (v == 1) {
                sql.append("CREATE TABLE effects (version INTEGER NOT NULL, note TEXT);\n");
            }
            if (v % 2 == 1) {
                sql.append("CREATE TABLE t").append(v).append(" (id INTEGER PRIMARY KEY, label TEXT);\n");
                sql.append("INSERT INTO t").append(v).append(" (label) VALUES ('made by ").append(v).append("; once');\n");
            }
            sql.append("INSERT INTO effects (version, note) VALUES (").append(v).append(", 'applied');\n");
            write(folder, String.format("%03d_step_%d.sql", v, v), sql.toString());
        }
    }
}

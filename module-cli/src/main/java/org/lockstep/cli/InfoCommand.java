package org.lockstep.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationVersion;
import org.sqlite.SQLiteConfig;

/**
 * {@code info}: where the database is, its journal mode, the SQLite version, the history table,
 * and whether the write lock is held right now. Reads with plain JDBC on a read-only
 * connection, so it never creates a database file, and needs no scripts.
 */
final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "show the database file, journal mode, SQLite version, history table and lock holder";
    }

    @Override
    public String description() {
        return """
                Shows where the database is, its journal mode, the SQLite version, the history table
                (rows and current version) and whether SQLite's write lock, which migrate takes, is
                free or held by another connection right now (tried with BEGIN IMMEDIATE and no
                wait, then rolled back). Needs no scripts; never creates the database file.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(Options.DATABASE, Options.URL, Options.HISTORY_TABLE, Options.JSON, Options.QUIET,
                Options.VERBOSE, Options.HELP);
    }

    /** What info found; absent parts are null. */
    record Found(String database, boolean exists, String sqliteVersion, String journalMode, String historyTable,
            boolean historyExists, long historyRows, String currentVersion, String lock) {
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(false);
        if (!target.url().startsWith("jdbc:sqlite:")) {
            throw new UsageException("info inspects SQLite databases only; for [" + target.shown()
                    + "] use lockstep status");
        }
        String table = options.get(Options.HISTORY_TABLE).orElse(MigrationConfig.DEFAULT_HISTORY_TABLE);
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new UsageException("History table name [" + table + "] must be letters, digits and underscores");
        }
        Found found = target.exists() ? inspect(target, table)
                : new Found(target.shown(), false, sqliteVersion(), null, table, false, 0, null, null);
        if (options.has(Options.JSON)) {
            out.println(json(found));
        } else if (!options.has(Options.QUIET)) {
            out.print(text(found));
        }
        return ExitCode.OK;
    }

    private static Found inspect(Options.Target target, String table) {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection connection = DriverManager.getConnection(target.url(), readOnly.toProperties());
                Statement statement = connection.createStatement()) {
            String version = single(statement, "SELECT sqlite_version()");
            String journal = single(statement, "PRAGMA journal_mode");
            boolean history = Long.parseLong(single(statement, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    + " AND name = '" + table + "'")) > 0;
            long rows = 0;
            Optional<MigrationVersion> current = Optional.empty();
            if (history) {
                List<MigrationVersion> versions = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT version FROM \"" + table + "\"")) {
                    while (rs.next()) {
                        versions.add(MigrationVersion.parse(rs.getString(1)));
                    }
                }
                rows = versions.size();
                current = versions.stream().max(MigrationVersion::compareTo);
            }
            return new Found(target.shown(), true, version, journal, table, history, rows,
                    current.map(Object::toString).orElse(null), lock(target.url()));
        } catch (SQLException e) {
            if (e.getErrorCode() == SQLITE_CANTOPEN && !target.url().contains("mode=memory")) {
                // A URL naming a file that is not there: read-only, SQLite cannot open it, as it
                // should not create it.
                return new Found(target.shown(), false, sqliteVersion(), null, table, false, 0, null, null);
            }
            throw new DatabaseException(DatabaseException.Reason.CANNOT_OPEN, "Database [" + target.shown()
                    + "] cannot be read: " + e.getMessage(), e);
        }
    }

    private static final int SQLITE_CANTOPEN = 14;

    // The lock migrate takes is SQLite's write lock, taken with BEGIN IMMEDIATE. Trying it with no
    // busy wait answers "is someone writing now" without waiting; the transaction is empty and
    // rolled back at once. Opened only after the read-only connection proved the file exists.
    private static String lock(String url) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            try {
                statement.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                String message = String.valueOf(e.getMessage());
                return message.contains("SQLITE_BUSY") || message.contains("locked")
                        ? "held by another connection" : "unknown: " + message;
            }
            statement.execute("ROLLBACK");
            return "free";
        } catch (SQLException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static String sqliteVersion() {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement statement = connection.createStatement()) {
            return single(statement, "SELECT sqlite_version()");
        } catch (SQLException e) {
            throw new DatabaseException(DatabaseException.Reason.OTHER, "SQLite cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String text(Found found) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Database", found.database() + (found.exists() ? "" : " (does not exist yet)")});
        rows.add(new String[] {"SQLite", found.sqliteVersion()});
        if (found.exists()) {
            rows.add(new String[] {"Journal mode", found.journalMode()});
            rows.add(new String[] {"History table", found.historyTable() + ": " + (found.historyExists()
                    ? found.historyRows() + " rows, current version "
                            + (found.currentVersion() == null ? "none" : found.currentVersion())
                    : "absent (nothing applied yet)")});
            rows.add(new String[] {"Write lock", found.lock()});
        }
        return Reports.table(rows, "");
    }

    private static String json(Found found) {
        return "{\"database\":" + Json.string(found.database())
                + ",\"exists\":" + found.exists()
                + ",\"sqliteVersion\":" + Json.string(found.sqliteVersion())
                + ",\"journalMode\":" + Json.string(found.journalMode())
                + ",\"historyTable\":" + Json.string(found.historyTable())
                + ",\"historyExists\":" + found.historyExists()
                + ",\"historyRows\":" + found.historyRows()
                + ",\"currentVersion\":" + Json.string(found.currentVersion())
                + ",\"lock\":" + Json.string(found.lock()) + "}";
    }
}

package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.lockstep.DatabaseInfo;
import org.lockstep.Migrator;

/**
 * {@code info}: where the database is, what it is, its history table, and whether the
 * migration lock is held right now, through {@link Migrator#inspect()}: never creates a
 * database file, and needs no scripts.
 */
final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "show the database, its product and version, history table and whether the lock is held";
    }

    @Override
    public String description() {
        return """
                Shows where the database is, its product and version (for SQLite its journal mode,
                for PostgreSQL the history's schema and advisory lock key), the history table (rows
                and current version) and whether the migration lock, which migrate takes, is free
                or held by another connection right now (tried without waiting, then released).
                Needs no scripts; never creates the database file.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return Options.forDatabase(Options.HISTORY_TABLE, Options.HISTORY_SCHEMA);
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        Options.Target target = options.target(false);
        DatabaseInfo found =
                Migrator.create(options.databaseConfig(target).build()).inspect();
        if (options.has(Options.JSON)) {
            out.println(json(found));
        } else if (!options.has(Options.QUIET)) {
            out.print(text(found));
        }
        return ExitCode.OK;
    }

    private static String text(DatabaseInfo found) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Database", found.database() + (found.exists() ? "" : " (does not exist yet)")});
        if (found.exists()) {
            rows.add(new String[] {"Product", found.product()});
            found.details().forEach((label, value) -> rows.add(new String[] {capitalised(label), value}));
            rows.add(new String[] {
                "History table",
                found.historyTable() + ": "
                        + (found.historyExists()
                                ? found.historyRows() + " rows, current version "
                                        + found.currentVersion()
                                                .map(Object::toString)
                                                .orElse("none")
                                : "absent (nothing applied yet)")
            });
            rows.add(new String[] {
                "Migration lock",
                found.lock().map(InfoCommand::lockText).orElse("unknown")
                        + found.lockHolder()
                                .map(holder -> ": " + holder.describe())
                                .orElse("")
            });
        }
        return Reports.table(rows, "");
    }

    private static String capitalised(String label) {
        return label.isEmpty() ? label : Character.toUpperCase(label.charAt(0)) + label.substring(1);
    }

    private static String lockText(DatabaseInfo.Lock lock) {
        return lock == DatabaseInfo.Lock.FREE ? "free" : "held by another connection";
    }

    private static String json(DatabaseInfo found) {
        StringBuilder details = new StringBuilder();
        found.details()
                .forEach((label, value) -> details.append(details.length() == 0 ? "" : ",")
                        .append(Json.string(label))
                        .append(':')
                        .append(Json.string(value)));
        return "{\"database\":" + Json.string(found.database())
                + ",\"exists\":" + found.exists()
                + ",\"product\":" + Json.string(found.exists() ? found.product() : null)
                + ",\"details\":{" + details + "}"
                + ",\"historyTable\":" + Json.string(found.historyTable())
                + ",\"historyExists\":" + found.historyExists()
                + ",\"historyRows\":" + found.historyRows()
                + ",\"currentVersion\":"
                + Json.string(found.currentVersion().map(Object::toString).orElse(null))
                + ",\"lock\":"
                + Json.string(found.lock().map(InfoCommand::lockText).orElse(null))
                + ",\"lockHolder\":"
                + found.lockHolder()
                        .map(holder -> "{\"pid\":" + holder.pid() + ",\"description\":"
                                + Json.string(holder.description()) + ",\"state\":" + Json.string(holder.state())
                                + "}")
                        .orElse("null")
                + "}";
    }
}

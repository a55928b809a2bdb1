package org.lockstep.internal.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.lockstep.internal.history.HistoryTable;

/**
 * Upgrades a history table of format 1 on SQLite, whose {@code ALTER TABLE} can add a column
 * but not change a key: the table is built anew in the current format, every row copied with
 * its type and rank, the old table dropped and the new one renamed to its name, all inside the
 * deploy's transaction (SQLite's DDL is transactional, so a crash or a failure leaves the old
 * table as it was). This is the procedure of https://www.sqlite.org/lang_altertable.html,
 * section 7, for a table nothing references by foreign key.
 *
 * <p>The rename runs with {@code legacy_alter_table} on, so that it renames the table and
 * nothing else: a view or trigger of the application that reads the history by its name
 * would otherwise make the rename fail (its table is gone while the new one has another
 * name), and afterwards reads the new table under the same name.
 */
final class HistoryRebuild {
    private HistoryRebuild() {}

    /** The upgrade, as {@link HistoryTable.Storage} takes it. */
    static void run(Connection connection, HistoryTable table, List<HistoryTable.Ranked> rows) throws SQLException {
        String building = ForeignKeyCheck.quote(table.plainName() + "_lockstep_format_" + HistoryTable.FORMAT);
        String columns = String.join(", ", HistoryTable.FORMAT_1_COLUMNS);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + building + " (" + table.columnDefinitions() + ")");
        }
        try (PreparedStatement copy =
                connection.prepareStatement("INSERT INTO " + building + " (" + columns + ", type, applied_rank) SELECT "
                        + columns + ", ?, ? FROM " + table.sqlName() + " WHERE version = ?")) {
            for (HistoryTable.Ranked row : rows) {
                copy.setString(1, row.type().name());
                copy.setLong(2, row.rank());
                copy.setString(3, row.version());
                copy.addBatch();
            }
            copy.executeBatch();
        }
        String legacy;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA legacy_alter_table")) {
            legacy = rs.next() ? rs.getString(1) : "0";
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + table.sqlName());
            statement.execute("PRAGMA legacy_alter_table = ON");
            try {
                statement.execute("ALTER TABLE " + building + " RENAME TO " + ForeignKeyCheck.quote(table.plainName()));
            } finally {
                statement.execute("PRAGMA legacy_alter_table = " + legacy);
            }
        }
    }
}

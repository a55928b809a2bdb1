package org.lockstep.internal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.lockstep.internal.history.HistoryTable;

/**
 * Upgrades a history table of format 1 on PostgreSQL in place, with {@code ALTER TABLE} inside
 * the deploy's transaction (PostgreSQL's DDL is transactional): the primary key on
 * {@code version} is dropped (found by the catalog, whatever its name), {@code version} may be
 * null, {@code type} and {@code applied_rank} are added and filled in, {@code applied_rank}
 * becomes the primary key and {@code version} unique. The table keeps its owner, its grants and
 * its place, so whoever could read the history still can.
 *
 * <p>The new columns are added with a default, {@code 'SQL'} and 0, not null then filled in.
 * {@code ALTER TABLE} is not MVCC-safe: a reader whose snapshot was taken before the upgrade
 * committed, and whose {@code SELECT} waited for the upgrade's lock, reads the table with its
 * new columns and its old rows (https://www.postgresql.org/docs/current/mvcc-caveats.html). An
 * old row has no value of a column added after it was written; it shows the value the column
 * was added with, so such a reader sees the history as it was before the deploy (every row a
 * versioned SQL script's, which is what format 1 holds) and not a null it cannot read. The
 * defaults are dropped once the rows are filled in.
 */
final class HistoryAlter {
    private HistoryAlter() {}

    /** The upgrade, as {@link HistoryTable.Storage} takes it. */
    static void run(Connection connection, HistoryTable table, List<HistoryTable.Ranked> rows) throws SQLException {
        String name = table.sqlName();
        String primaryKey = null;
        try (PreparedStatement key = connection.prepareStatement(
                "SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass AND contype = 'p'")) {
            key.setString(1, name);
            try (ResultSet rs = key.executeQuery()) {
                if (rs.next()) {
                    primaryKey = rs.getString(1);
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + name
                    + (primaryKey == null ? "" : " DROP CONSTRAINT " + quote(primaryKey) + ",")
                    + " ALTER COLUMN version DROP NOT NULL, ADD COLUMN type TEXT NOT NULL DEFAULT 'SQL',"
                    + " ADD COLUMN applied_rank BIGINT NOT NULL DEFAULT 0");
        }
        try (PreparedStatement fill =
                connection.prepareStatement("UPDATE " + name + " SET type = ?, applied_rank = ? WHERE version = ?")) {
            for (HistoryTable.Ranked row : rows) {
                fill.setString(1, row.type().name());
                fill.setLong(2, row.rank());
                fill.setString(3, row.version());
                fill.addBatch();
            }
            fill.executeBatch();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + name + " ALTER COLUMN type DROP DEFAULT,"
                    + " ALTER COLUMN applied_rank DROP DEFAULT, ADD PRIMARY KEY (applied_rank), ADD UNIQUE (version)");
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

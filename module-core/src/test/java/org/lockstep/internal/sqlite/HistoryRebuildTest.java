package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.history.HistoryTable;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.protocol.Session;

/** The upgrade of a history table of format 1 on SQLite, which rebuilds the table. */
final class HistoryRebuildTest {
    @TempDir
    Path dir;

    private String url;

    private void run(String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void rebuildKeepsEveryValueRanksByTimeAndLeavesTheApplicationsViewOfTheHistoryWorking() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("app.db");
        // The previous release's table, word for word, and a view an application keeps over it.
        run(
                "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version TEXT NOT NULL PRIMARY KEY, description"
                        + " TEXT NOT NULL, script TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL,"
                        + " applied_by TEXT NOT NULL, execution_ms INTEGER NOT NULL)",
                "INSERT INTO schema_migrations VALUES ('10', 'ten', '10_ten.sql', 'c10', '2024-01-01T00:00:00.002Z',"
                        + " 'w', 3)",
                "INSERT INTO schema_migrations VALUES ('9', 'nine', '9_nine.sql', 'c9', '2024-01-01T00:00:00.002Z',"
                        + " 'w', 4)",
                "INSERT INTO schema_migrations VALUES ('001', 'one', '001_one.sql', 'c1', '2023-12-31T23:59:59Z',"
                        + " 'v', 5)",
                "CREATE VIEW deploys AS SELECT version, applied_by FROM schema_migrations");
        SqliteDatabase database =
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty()));

        HistorySnapshot read;
        try (Session session = database.open()) {
            session.lock(Duration.ofSeconds(1));
            read = session.readHistory();
            session.upgradeHistoryTable(read.rows());
            session.insertHistory(new HistoryRow(
                    null,
                    "views",
                    "R__views.sql",
                    "cv",
                    Instant.parse("2024-02-01T00:00:00Z"),
                    "x",
                    1,
                    HistoryRow.Type.REPEATABLE,
                    0));
            session.commit();
        }

        assertEquals(1, read.format());
        assertEquals(
                List.of("001", "9", "10"),
                read.rows().stream()
                        .sorted(java.util.Comparator.comparingLong(HistoryRow::rank))
                        .map(row -> row.version().toString())
                        .toList(),
                "format 1 records no order: by time, then by version");
        assertEquals(
                List.of(
                        "1|001|one|001_one.sql|c1|2023-12-31T23:59:59Z|v|5|SQL",
                        "2|9|nine|9_nine.sql|c9|2024-01-01T00:00:00.002Z|w|4|SQL",
                        "3|10|ten|10_ten.sql|c10|2024-01-01T00:00:00.002Z|w|3|SQL",
                        "4|null|views|R__views.sql|cv|2024-02-01T00:00:00Z|x|1|REPEATABLE"),
                column("SELECT applied_rank || '|' || coalesce(version, 'null') || '|' || description || '|' || script"
                        + " || '|' || checksum || '|' || applied_at || '|' || applied_by || '|' || execution_ms || '|'"
                        + " || type FROM schema_migrations ORDER BY applied_rank"));
        assertEquals(
                List.of("001", "10", "9", "null"), column("SELECT coalesce(version, 'null') FROM deploys ORDER BY 1"));
        assertEquals(
                List.of("schema_migrations"),
                column("SELECT name FROM sqlite_master WHERE type = 'table'"),
                "no table of the rebuild is left");
        assertEquals(List.of("0"), column("PRAGMA legacy_alter_table"));
        try (Session session = database.open()) {
            HistorySnapshot after = session.readHistory();
            assertEquals(HistoryTable.FORMAT, after.format());
            assertEquals(4, after.rows().size());
        }
    }
}

package org.lockstep.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/** Data migrations of the size real applications run, with progress reported as they go. */
final class LargeScriptTest {
    @TempDir
    Path dir;

    @Test
    void scriptOfFiveThousandStatementsAndAHundredThousandRowBackfillApplyWithProgress() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Files.writeString(scripts.resolve("001_table.sql"), "CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT);\n");
        try (BufferedWriter out = Files.newBufferedWriter(scripts.resolve("002_many.sql"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < 5_000; i++) {
                out.write("INSERT INTO items (v) VALUES ('row " + i + "; with a semicolon');\n");
            }
        }
        Files.writeString(scripts.resolve("003_backfill.sql"), "CREATE TABLE big (n INTEGER NOT NULL, label TEXT);\n"
                + "INSERT INTO big SELECT value, 'n=' || value FROM (WITH RECURSIVE c(value) AS"
                + " (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 100000) SELECT value FROM c);\n");
        List<String> progress = new ArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void statementCompleted(MigrationVersion version, int statement, int statements, Duration elapsed) {
                if (statement == statements || statement % 1000 == 0) {
                    progress.add(version + ":" + statement + "/" + statements);
                }
            }
        };

        MigrateResult result = Migrator.create(MigrationConfig.builder().url("jdbc:sqlite:" + dir.resolve("a.db"))
                .location(scripts).listener(listener).build()).migrate();

        assertEquals(3, result.applied().size());
        assertEquals(5_000, count("SELECT count(*) FROM items"));
        assertEquals(100_000, count("SELECT count(*) FROM big"));
        assertTrue(progress.containsAll(List.of("002:1000/5000", "002:5000/5000", "003:2/2")), progress.toString());
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package org.lockstep.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.DriftReport;
import org.lockstep.MigrationLocation;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/** Drift's own loop: a history read before and after the schema, and read again while it moves. */
final class DriftCheckTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void aHistoryThatMovesUnderEveryReadIsReadThreeTimesAndNoMore() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);\n");
        List<MigrationScript> scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
        MigrationScript script = scripts.get(0);
        HistoryRow row = new HistoryRow(
                script.version(),
                script.description(),
                script.fileName(),
                script.checksum(),
                Instant.parse("2026-01-01T00:00:00Z"),
                "tester",
                0,
                HistoryRow.Type.SQL,
                1);
        // A deploy that commits and is undone between every two reads, as if the history never settled.
        AtomicInteger reads = new AtomicInteger();
        Supplier<HistorySnapshot> history = () -> reads.getAndIncrement() % 2 == 0
                ? new HistorySnapshot(true, List.of(), false)
                : new HistorySnapshot(true, List.of(row), false);
        SqliteDatabase absent = new SqliteDatabase(
                ConnectionSource.of("jdbc:sqlite:" + dir.resolve("absent.db")),
                new HistoryName("schema_migrations", Optional.empty()));

        DriftReport report = DriftCheck.check(
                new DriftCheck.Inputs(scripts, history, absent, null, "schema_migrations", Duration.ofSeconds(1)));

        assertEquals(6, reads.get(), "three attempts, each reading the history before and after the schema");
        assertEquals(List.of(), report.replayed(), "the last attempt's first read: nothing applied");
    }
}

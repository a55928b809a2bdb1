package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * A migration another worker ran counts as applied by others when its run ended after this call
 * began, though it began before: its commit came after its end, so it was not there when the
 * call began, even if every read the call saw came after that commit (a first read blocked by a
 * rollback-journal writer, or another thread's read). Found by the bench's section 4, whose
 * holder runs a slow migration and whose waiters start while it runs.
 */
final class AppliedByOthersByItsEndTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private String url;
    private List<MigrationScript> scripts;

    @BeforeEach
    void migrateAtT0() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("app.db");
        Path folder = Files.createDirectories(dir.resolve("m"));
        Files.writeString(folder.resolve("001_slow.sql"), "CREATE TABLE a (x);\n");
        scripts = ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
        protocol(T0).migrate(scripts, new SplittableRandom(1));
    }

    @Test
    void aMigrationThatEndedAfterTheCallBeganWasAppliedDuringIt() throws Exception {
        ranFor(Duration.ofMillis(100));

        MigrateResult result = protocol(T0.plusMillis(50)).migrate(scripts, new SplittableRandom(1));

        assertEquals(
                List.of("001"),
                result.appliedByOthers().stream().map(AppliedMigration::name).toList());
    }

    @Test
    void aMigrationThatEndedBeforeTheCallBeganWasThereBeforeIt() throws Exception {
        ranFor(Duration.ofMillis(50));

        MigrateResult result = protocol(T0.plusMillis(50)).migrate(scripts, new SplittableRandom(1));

        assertEquals(List.of(), result.appliedByOthers(), "ended at the very millisecond the call began");
    }

    private void ranFor(Duration time) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            assertEquals(1, statement.executeUpdate("UPDATE schema_migrations SET execution_ms = " + time.toMillis()));
        }
    }

    private MigrationProtocol protocol(Instant now) {
        MigrationConfig config =
                MigrationConfig.builder().url(url).location(dir).build();
        return new MigrationProtocol(
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty())),
                Clock.fixed(now, ZoneOffset.UTC),
                Sleeper.SYSTEM,
                Backoff.DEFAULT,
                Turns.process(),
                MigrationProtocol.Settings.of(config, "worker-at-" + now));
    }
}

package org.lockstep.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseInfo;
import org.lockstep.LockstepException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.ScriptFile;
import org.lockstep.ValidationFailedException;

/** The public API as an application developer meets it (issue 12, items 5 and 10). */
final class ApiContractTest {
    @TempDir
    Path dir;

    private Path scripts() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x);");
        Files.writeString(folder.resolve("V2__b.sql"), "CREATE TABLE b (x);");
        return folder;
    }

    @Test
    void inspectNeedsNoScriptsCreatesNothingAndSaysWhetherTheLockIsHeld() throws Exception {
        Path database = dir.resolve("app.db");
        Migrator inspector = Migrator.create(
                MigrationConfig.builder().url("jdbc:sqlite:" + database).build());

        DatabaseInfo missing = inspector.inspect();
        assertFalse(missing.exists());
        assertFalse(Files.exists(database), "inspect created the file");

        Migrator.create(MigrationConfig.builder()
                        .url("jdbc:sqlite:" + database)
                        .location(scripts())
                        .build())
                .migrate();
        DatabaseInfo free = inspector.inspect();
        assertTrue(free.exists());
        assertTrue(free.product().startsWith("SQLite 3."), free.product());
        assertTrue(free.details().containsKey("journal mode"), free.details().toString());
        assertEquals(2, free.historyRows());
        assertEquals(MigrationVersion.parse("2"), free.currentVersion().orElseThrow());
        assertEquals(DatabaseInfo.Lock.FREE, free.lock().orElseThrow());

        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            assertEquals(DatabaseInfo.Lock.HELD, inspector.inspect().lock().orElseThrow());
            statement.execute("ROLLBACK");
        }
        assertThrows(IllegalStateException.class, inspector::migrate, "migrate needs a location");
    }

    @Test
    void aLocationListsItsScriptsByNameWithoutADatabase() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("empty"));
        assertEquals(List.of(), new MigrationLocation.Directory(folder).scripts());

        List<ScriptFile> files = new MigrationLocation.Directory(scripts()).scripts();
        assertEquals(
                List.of("001_a.sql", "V2__b.sql"),
                files.stream().map(ScriptFile::fileName).toList());
        assertEquals(Optional.of(MigrationVersion.parse("2")), files.get(1).version());
    }

    @Test
    void theBuilderRefusesABadValueInItsSetter() {
        MigrationConfig.Builder builder = MigrationConfig.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.url("not-a-jdbc-url"));
        assertThrows(IllegalArgumentException.class, () -> builder.historyTable("1 bad"));
        assertThrows(IllegalArgumentException.class, () -> builder.lockTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.maxLockAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> builder.owner(" "));
        assertThrows(IllegalStateException.class, builder::build, "no database");
        IllegalArgumentException url =
                assertThrows(IllegalArgumentException.class, () -> builder.url("sqlite:/x.db?password=hunter2"));
        assertFalse(url.getMessage().contains("hunter2"), url.getMessage());
    }

    @Test
    void configurationsWithTheSameSettingsAreEqualAndLocationsCanBeReplaced() {
        MigrationConfig one = MigrationConfig.builder()
                .url("jdbc:sqlite:a.db")
                .location(Path.of("x"))
                .build();
        MigrationConfig two = MigrationConfig.builder()
                .url("jdbc:sqlite:a.db")
                .location(Path.of("x"))
                .build();
        assertEquals(one, two);
        assertEquals(one.hashCode(), two.hashCode());
        assertNotEquals(one, one.toBuilder().lockTimeout(Duration.ofSeconds(1)).build());
        MigrationConfig moved = one.toBuilder()
                .locations(List.of(new MigrationLocation.Directory(Path.of("y"))))
                .build();
        assertEquals(List.of(new MigrationLocation.Directory(Path.of("y"))), moved.locations());
        assertEquals("jdbc:sqlite:/x.db?password=***", MigrationConfig.describeUrl("jdbc:sqlite:/x.db?password=s"));
    }

    @Test
    void aVersionMayBeWrittenAsInScriptNames() {
        assertEquals(MigrationVersion.parse("2"), MigrationVersion.parse("V2"));
    }

    @Test
    void failuresSurviveSerializationWithTheirFields() throws Exception {
        Path folder = scripts();
        Migrator.create(MigrationConfig.builder()
                        .url("jdbc:sqlite:" + dir.resolve("app.db"))
                        .location(folder)
                        .build())
                .migrate();
        Files.writeString(folder.resolve("003_broken.sql"), "CREATE TABLE a (x);");
        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(MigrationConfig.builder()
                                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                                .location(folder)
                                .build())
                        .migrate());
        MigrationFailedException copy = roundTrip(failed);
        assertEquals(Optional.of(MigrationVersion.parse("003")), copy.version());
        assertEquals("003_broken.sql", copy.script());

        Files.writeString(folder.resolve("001_a.sql"), "CREATE TABLE a (x, y);");
        ValidationFailedException invalid = assertThrows(
                ValidationFailedException.class,
                () -> Migrator.create(MigrationConfig.builder()
                                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                                .location(folder)
                                .build())
                        .validate());
        assertEquals(invalid.problems(), roundTrip(invalid).problems());
    }

    @Test
    void theListenerHearsEachCommittedMigrationAndTheEndOfTheRun() throws Exception {
        List<String> heard = new ArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void migrationCompleted(AppliedMigration migration) {
                heard.add("completed " + migration.name());
            }

            @Override
            public void runFinished(MigrateResult result) {
                heard.add("finished " + result.applied().size());
            }

            @Override
            public void runFailed(LockstepException failure) {
                heard.add("failed " + failure.getClass().getSimpleName());
            }
        };
        Path folder = scripts();
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                .location(folder)
                .listener(listener)
                .build();
        Migrator.create(config).migrate();
        Files.writeString(folder.resolve("003_broken.sql"), "CREATE TABLE a (x);");
        assertThrows(
                MigrationFailedException.class, () -> Migrator.create(config).migrate());

        assertEquals(List.of("completed 001", "completed 2", "finished 2", "failed MigrationFailedException"), heard);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}

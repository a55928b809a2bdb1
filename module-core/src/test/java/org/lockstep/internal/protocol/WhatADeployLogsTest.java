package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * What an operator reads in the log of a deploy: a line per applied migration, a summary when
 * anything was applied (here or by others), a warning for migrations left out below the applied
 * version, and a note for versions a newer release applied. Tests log only warnings (the build's
 * logging configuration), so this test lowers the protocol's logger for its own calls.
 */
final class WhatADeployLogsTest {
    @TempDir
    Path dir;

    private ProtocolLog log;
    private String url;

    @BeforeEach
    void listen() {
        url = "jdbc:sqlite:" + dir.resolve("app.db");
        log = ProtocolLog.capture();
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void eachAppliedMigrationAndTheDeployAreLoggedAndAnUpToDateCallIsQuiet() throws Exception {
        List<MigrationScript> scripts = scripts("001_a.sql", "002_b.sql");

        migrate(scripts);

        assertEquals(
                List.of(
                        "Applied migration [001] [a] from [001_a.sql] in [ms]",
                        "Applied migration [002] [b] from [002_b.sql] in [ms]",
                        "Migrations done on [" + describe() + "]: [2] applied here, [0] applied by others,"
                                + " lock wait [0 ms] over [1] attempts"),
                said(Level.INFO));

        log.clear();
        migrate(scripts);

        assertEquals(List.of(), said(Level.INFO), "an up-to-date database: nothing to tell");
    }

    @Test
    void migrationsBelowTheAppliedVersionAreNamedInAWarning() throws Exception {
        migrate(scripts("001_a.sql", "003_c.sql"));
        assertEquals(List.of(), said(Level.WARNING));

        // Without validation, which would refuse the deploy: the late script is left out.
        MigrateResult result = migrate(scripts("001_a.sql", "002_b.sql", "003_c.sql"), false);

        assertEquals(1, result.skipped().size());
        assertEquals(
                List.of("Not applied on [" + describe() + "]: [002 (002_b.sql)], below the highest applied version"
                        + " [003] (out of order); allow out-of-order migrations to apply them"),
                said(Level.WARNING));
    }

    @Test
    void versionsANewerReleaseAppliedAreNotedAndTheCallGoesOn() throws Exception {
        migrate(scripts("001_a.sql", "002_b.sql"));
        log.clear();

        MigrateResult result = migrate(scripts("001_a.sql"));

        assertEquals(1, result.future().size());
        assertEquals(
                List.of("Database [" + describe() + "] has applied versions [002] above every script here (a newer"
                        + " release applied them); continuing"),
                said(Level.INFO));
    }

    private MigrateResult migrate(List<MigrationScript> scripts) {
        return migrate(scripts, true);
    }

    private MigrateResult migrate(List<MigrationScript> scripts, boolean validate) {
        MigrationConfig config = MigrationConfig.builder()
                .url(url)
                .location(dir)
                .validateOnMigrate(validate)
                .build();
        SqliteDatabase database =
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty()));
        return new MigrationProtocol(
                        database,
                        Clock.systemUTC(),
                        Sleeper.SYSTEM,
                        Backoff.DEFAULT,
                        Turns.PROCESS,
                        MigrationProtocol.Settings.of(config, "tester"))
                .migrate(scripts, new SplittableRandom(1));
    }

    private String describe() {
        return new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty()))
                .describe();
    }

    // The scripts of the given names, each creating a table named after its description.
    private List<MigrationScript> scripts(String... names) throws Exception {
        Path folder = Files.createTempDirectory(dir, "m");
        for (String name : names) {
            String table = name.substring(name.indexOf('_') + 1, name.indexOf('.'));
            Files.writeString(folder.resolve(name), "CREATE TABLE " + table + " (x);\n");
        }
        return ScriptLoader.load(List.of(new MigrationLocation.Directory(folder)));
    }

    // The messages logged at the level, with the milliseconds of a run taken out.
    private List<String> said(Level level) {
        return log.records().stream()
                .filter(record -> record.getLevel() == level)
                .map(record -> record.getMessage().replaceAll("in \\[\\d+ ms\\]", "in [ms]"))
                .toList();
    }
}

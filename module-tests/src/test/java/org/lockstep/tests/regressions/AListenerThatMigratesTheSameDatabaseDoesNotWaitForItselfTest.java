package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * Found while reviewing issue 14's turns: the threads of a process take turns at a database, and
 * a listener of a deploy that called {@code migrate()} on the same database, from the deploy's
 * own thread, waited for the turn its own thread held, until the lock timeout, even when the
 * nested call had nothing to do. A thread that holds the turn now goes on without it.
 */
final class AListenerThatMigratesTheSameDatabaseDoesNotWaitForItselfTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aNestedMigrateWithNothingPendingReturnsWhileTheDeployRuns() throws Exception {
        Fixture fixture = new Fixture(dir).script("001_a.sql", "CREATE TABLE a (x);");
        Migrator.create(fixture.config().build()).migrate();
        // Another part of the application, whose scripts are all applied already.
        Path applied = Files.createDirectories(dir.resolve("applied"));
        Files.copy(fixture.scripts.resolve("001_a.sql"), applied.resolve("001_a.sql"));
        Migrator nested = Migrator.create(MigrationConfig.builder()
                .url(fixture.url())
                .location(applied)
                .lockTimeout(TIMEOUT)
                .build());
        fixture.script("002_b.sql", "CREATE TABLE b (x);");
        AtomicReference<MigrateResult> nestedResult = new AtomicReference<>();
        AtomicReference<Exception> nestedError = new AtomicReference<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                try {
                    nestedResult.set(nested.migrate());
                } catch (Exception e) {
                    nestedError.set(e);
                }
            }
        };

        MigrateResult deploy = Migrator.create(
                        fixture.config().listener(listener).lockTimeout(TIMEOUT).build())
                .migrate();

        assertEquals(
                List.of("002"),
                deploy.applied().stream().map(AppliedMigration::name).toList());
        assertNull(nestedError.get(), () -> "the nested call failed: " + nestedError.get());
        assertTrue(nestedResult.get().wasUpToDate());
    }
}

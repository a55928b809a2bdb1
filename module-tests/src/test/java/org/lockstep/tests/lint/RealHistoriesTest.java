package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.DriftReport;
import org.lockstep.LintFinding;
import org.lockstep.LintLevel;
import org.lockstep.LintReport;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.Migrator;

/**
 * Histories written the way real applications write them (table rebuilds of both kinds,
 * triggers with CASE ... END bodies, FTS5, partial and expression indexes, STRICT and WITHOUT
 * ROWID tables, generated columns, views, upserts, backfills) lint without a single error-level
 * finding: an error there is a false positive, a bug. Migrated with Lockstep, each has no drift.
 */
final class RealHistoriesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> histories() {
        ClassLoader loader = RealHistoriesTest.class.getClassLoader();
        return Stream.of(
                Arguments.of(
                        "shop", new MigrationLocation.ClassLoaderResources(loader, "org/lockstep/tests/lint/shop")),
                Arguments.of(
                        "fidelity",
                        new MigrationLocation.ClassLoaderResources(loader, "org/lockstep/tests/fidelity/history")),
                Arguments.of("demo", new MigrationLocation.ClassLoaderResources(loader, "org/lockstep/cli/demo")),
                Arguments.of(
                        "examples/notes",
                        new MigrationLocation.Directory(Path.of("..", "examples", "notes")
                                .toAbsolutePath()
                                .normalize())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void realHistoryHasNoErrorLevelFindingAndNoDriftOnceMigrated(String name, MigrationLocation location)
            throws Exception {
        Path database = dir.resolve(name.replace('/', '-') + ".db");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(location)
                .build());

        LintReport report = migrator.lint();
        List<LintFinding> errors = report.findings().stream()
                .filter(finding -> finding.level() == LintLevel.ERROR)
                .toList();
        assertEquals(List.of(), errors, () -> name + ": " + report.findings());
        assertTrue(report.scriptsReplayed() >= 4, report::toString);

        migrator.migrate();
        DriftReport drift = migrator.drift();
        assertTrue(drift.matches(), () -> name + ": " + drift.differences());
        assertEquals(report.scriptsReplayed(), drift.replayed().size());
        assertTrue(Files.exists(database));
    }
}

package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.ValidationProblem;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.sql.SqlStatement;

final class PlanTest {
    private static final Instant APPLIED_AT = Instant.parse("2024-05-01T10:15:30Z");

    private static MigrationVersion v(String text) {
        return MigrationVersion.parse(text);
    }

    private static MigrationScript script(String version, String description) {
        String fileName = version + "_" + description.replace(' ', '_') + ".sql";
        return new MigrationScript(
                v(version),
                description,
                fileName,
                "db/" + fileName,
                "sum-" + version,
                List.of(new SqlStatement("SELECT " + version, 1)));
    }

    private static HistoryRow row(MigrationScript script) {
        return row(script.version().toString(), script.description(), script.fileName(), script.checksum());
    }

    private static HistoryRow row(String version, String description, String fileName, String checksum) {
        return new HistoryRow(v(version), description, fileName, checksum, APPLIED_AT, "4711@web-1", 12);
    }

    private static HistorySnapshot history(HistoryRow... rows) {
        return new HistorySnapshot(true, List.of(rows), true);
    }

    private static List<String> versionsOf(List<MigrationScript> scripts) {
        return scripts.stream().map(s -> s.version().toString()).toList();
    }

    private static List<MigrationState> statesOf(Plan plan) {
        return plan.infos().stream().map(MigrationInfo::state).toList();
    }

    private final MigrationScript one = script("1", "create notes");
    private final MigrationScript two = script("2", "add index");
    private final MigrationScript three = script("3", "add tags");
    private final MigrationScript four = script("4", "drop old");
    private final List<MigrationScript> all = List.of(one, two, three, four);

    @Test
    void nothingAppliedMakesEveryScriptPending() {
        Plan plan = Plan.of(all, HistorySnapshot.ABSENT, false);
        assertEquals(List.of("1", "2", "3", "4"), versionsOf(plan.pending()));
        assertEquals(
                List.of(MigrationState.PENDING, MigrationState.PENDING, MigrationState.PENDING, MigrationState.PENDING),
                statesOf(plan));
        assertEquals(List.of(), plan.problems());
        assertEquals(Optional.empty(), plan.currentVersion());
        assertTrue(plan.infos().stream().allMatch(info -> info.applied().isEmpty()));
    }

    @Test
    void emptyHistoryTableMakesEveryScriptPending() {
        Plan plan = Plan.of(all, history(), false);
        assertEquals(List.of("1", "2", "3", "4"), versionsOf(plan.pending()));
        assertEquals(Optional.empty(), plan.currentVersion());
    }

    @Test
    void appliedPrefixLeavesTheRestPending() {
        Plan plan = Plan.of(all, history(row(one), row(two)), false);
        assertEquals(List.of("3", "4"), versionsOf(plan.pending()));
        assertEquals(
                List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING, MigrationState.PENDING),
                statesOf(plan));
        assertEquals(List.of(), plan.problems());
        assertEquals(Optional.of(v("2")), plan.currentVersion());
        assertEquals(List.of(v("1"), v("2")).size(), plan.applied().size());
    }

    @Test
    void appliedInfoCarriesWhoAndWhen() {
        Plan plan = Plan.of(all, history(row(one)), false);
        MigrationInfo info = plan.infos().get(0);
        assertEquals(Optional.of(v("1")), info.version());
        assertEquals("create notes", info.description());
        assertEquals("1_create_notes.sql", info.script());
        assertEquals("4711@web-1", info.applied().orElseThrow().appliedBy());
        assertEquals(APPLIED_AT, info.applied().orElseThrow().appliedAt());
        assertEquals(12, info.applied().orElseThrow().executionTime().toMillis());
    }

    @Test
    void gapBelowHighestAppliedIsOutOfOrderProblem() {
        Plan plan = Plan.of(all, history(row(one), row(three)), false);
        assertEquals(
                List.of(
                        MigrationState.APPLIED,
                        MigrationState.OUT_OF_ORDER,
                        MigrationState.APPLIED,
                        MigrationState.PENDING),
                statesOf(plan));
        assertEquals(1, plan.problems().size());
        ValidationProblem problem = plan.problems().get(0);
        assertEquals(MigrationState.OUT_OF_ORDER, problem.kind());
        assertEquals(Optional.of(v("2")), problem.version());
        assertEquals("2_add_index.sql", problem.script());
        assertEquals(
                "Migration [2] in [2_add_index.sql] is pending but a higher version [3] is already applied"
                        + " (out of order)",
                problem.message());
        assertEquals(
                List.of("4"),
                versionsOf(plan.pending()),
                "an out-of-order script must never be pending unless out-of-order is allowed");
        assertEquals(Optional.of(v("3")), plan.currentVersion());
    }

    @Test
    void gapBelowHighestAppliedIsPendingWhenOutOfOrderAllowed() {
        Plan plan = Plan.of(all, history(row(one), row(three)), true);
        assertEquals(
                List.of(MigrationState.APPLIED, MigrationState.PENDING, MigrationState.APPLIED, MigrationState.PENDING),
                statesOf(plan));
        assertEquals(List.of(), plan.problems());
        assertEquals(List.of("2", "4"), versionsOf(plan.pending()));
    }

    @Test
    void pendingIsDecidedByVersionNotByRowCount() {
        // Two rows applied, but not versions 1 and 2: a count-based plan would skip 3 and 4.
        Plan plan = Plan.of(all, history(row(two), row(one)), false);
        assertEquals(List.of("3", "4"), versionsOf(plan.pending()));
        Plan gaps = Plan.of(all, history(row(three), row(four)), true);
        assertEquals(List.of("1", "2"), versionsOf(gaps.pending()));
    }

    @Test
    void editedScriptIsChecksumMismatchNamingVersionAndFile() {
        HistoryRow edited = row("2", "add index", "2_add_index.sql", "old-sum");
        Plan plan = Plan.of(all, history(row(one), edited), false);
        assertEquals(
                List.of(
                        MigrationState.APPLIED,
                        MigrationState.CHECKSUM_MISMATCH,
                        MigrationState.PENDING,
                        MigrationState.PENDING),
                statesOf(plan));
        assertEquals(1, plan.problems().size());
        ValidationProblem problem = plan.problems().get(0);
        assertEquals(MigrationState.CHECKSUM_MISMATCH, problem.kind());
        assertEquals(Optional.of(v("2")), problem.version());
        assertEquals("2_add_index.sql", problem.script());
        assertTrue(
                problem.message().startsWith("Migration [2] in [2_add_index.sql] was edited after it was applied"),
                problem.message());
        assertTrue(problem.message().contains("[sum-2]") && problem.message().contains("[old-sum]"), problem.message());
        assertEquals(List.of("3", "4"), versionsOf(plan.pending()));
    }

    @Test
    void historyRowWithoutScriptBelowTheHighestScriptIsMissingScript() {
        HistoryRow gone = row("3.5", "removed later", "3.5_removed_later.sql", "sum-3.5");
        Plan plan = Plan.of(all, history(row(one), row(two), row(three), gone, row(four)), false);
        assertEquals(5, plan.infos().size());
        MigrationInfo info = plan.infos().get(3);
        assertEquals(MigrationState.MISSING_SCRIPT, info.state());
        assertEquals("removed later", info.description());
        assertEquals("3.5_removed_later.sql", info.script());
        assertEquals(1, plan.problems().size());
        ValidationProblem problem = plan.problems().get(0);
        assertEquals(MigrationState.MISSING_SCRIPT, problem.kind());
        assertEquals(Optional.of(v("3.5")), problem.version());
        assertEquals("3.5_removed_later.sql", problem.script());
        assertEquals(
                "Migration [3.5] was applied from [3.5_removed_later.sql] but no migration with that version exists",
                problem.message());
        assertEquals(List.of(), plan.pending());
        assertEquals(Optional.of(v("4")), plan.currentVersion());
    }

    @Test
    void historyRowAboveEveryScriptIsFutureAndAProblemOnlyWhenAskedFor() {
        HistoryRow newer = row("5", "from a newer release", "005_newer.sql", "sum-5");
        Plan plan = Plan.of(all, history(row(one), row(two), row(three), row(four), newer), false);
        MigrationInfo info = plan.infos().get(4);
        assertEquals(MigrationState.FUTURE, info.state());
        assertEquals("005_newer.sql", info.script());
        assertEquals(List.of(info), plan.future());
        assertEquals(List.of(), plan.problems(), "a rolling deploy's older release keeps starting");
        assertEquals(List.of(), plan.problems(false));
        ValidationProblem problem = plan.problems(true).get(0);
        assertEquals(MigrationState.FUTURE, problem.kind());
        assertEquals(Optional.of(v("5")), problem.version());
        assertTrue(
                problem.message()
                        .startsWith("Migration [5] was applied from [005_newer.sql], a version above"
                                + " every script here"),
                problem.message());
        assertEquals(Optional.of(v("5")), plan.currentVersion());
    }

    @Test
    void outOfOrderScriptsAreSkippedNotPending() {
        Plan plan = Plan.of(all, history(row(one), row(three)), false);
        assertEquals(
                List.of("2"), plan.skipped().stream().map(MigrationInfo::name).toList());
        assertEquals(List.of("4"), versionsOf(plan.pending()));
        assertEquals(
                List.of(), Plan.of(all, history(row(one), row(three)), true).skipped());
    }

    @Test
    void infosAndProblemsComeInVersionOrder() {
        MigrationScript tenth = script("10", "ten");
        MigrationScript ninePointOne = script("9.1", "nine one");
        List<MigrationScript> scripts = List.of(one, ninePointOne, tenth);
        HistoryRow missing = row("2", "two", "2_two.sql", "x");
        HistoryRow mismatch = row("10", "ten", "10_ten.sql", "x");
        HistoryRow alsoMissing = row("1.5", "one five", "1.5_one_five.sql", "x");
        Plan plan = Plan.of(scripts, history(mismatch, missing, alsoMissing), false);
        assertEquals(
                List.of("1", "1.5", "2", "9.1", "10"),
                plan.infos().stream().map(MigrationInfo::name).toList());
        assertEquals(
                List.of("1", "1.5", "2", "9.1", "10"),
                plan.problems().stream()
                        .map(p -> p.version().orElseThrow().toString())
                        .toList());
        assertEquals(
                List.of(
                        MigrationState.OUT_OF_ORDER,
                        MigrationState.MISSING_SCRIPT,
                        MigrationState.MISSING_SCRIPT,
                        MigrationState.OUT_OF_ORDER,
                        MigrationState.CHECKSUM_MISMATCH),
                plan.problems().stream().map(ValidationProblem::kind).toList());
        assertEquals(Optional.of(v("10")), plan.currentVersion());
    }

    @Test
    void currentVersionIsHighestAppliedNumerically() {
        MigrationScript nine = script("9", "nine");
        MigrationScript ten = script("10", "ten");
        Plan plan = Plan.of(List.of(nine, ten), history(row(ten), row(nine)), false);
        assertEquals(Optional.of(v("10")), plan.currentVersion());
        assertEquals("10", plan.currentVersion().orElseThrow().toString());
    }

    @Test
    void versionWrittenDifferentlyInHistoryStillMatchesScript() {
        HistoryRow padded = row("001", "create notes", one.fileName(), one.checksum());
        Plan plan = Plan.of(all, history(padded), false);
        assertEquals(MigrationState.APPLIED, plan.infos().get(0).state());
        assertEquals(List.of("2", "3", "4"), versionsOf(plan.pending()));
    }

    private static MigrationScript repeatable(String description, String checksum) {
        String fileName = "R__" + description + ".sql";
        return new MigrationScript(
                null, description, fileName, "db/" + fileName, checksum, List.of(new SqlStatement("SELECT 1", 1)));
    }

    private static HistoryRow repeatableRow(String description, String checksum, long rank) {
        return new HistoryRow(
                null,
                description,
                "R__" + description + ".sql",
                checksum,
                APPLIED_AT,
                "4711@web-1",
                1,
                HistoryRow.Type.REPEATABLE,
                rank);
    }

    @Test
    void repeatableScriptsArePendingNewOrChangedByTheirLatestRowAfterEveryVersionedScript() {
        List<MigrationScript> scripts = List.of(
                one, two, repeatable("a", "a2"), repeatable("b", "b1"), repeatable("c", "c1"), repeatable("d", "d1"));
        Plan plan = Plan.of(
                scripts,
                history(
                        row(one),
                        repeatableRow("a", "a1", 2),
                        repeatableRow("b", "b2", 3),
                        repeatableRow("b", "b1", 4),
                        repeatableRow("c", "c1", 5),
                        repeatableRow("c", "c0", 1)),
                false);

        assertEquals(
                List.of("2_add_index.sql", "R__a.sql", "R__d.sql"),
                plan.pending().stream().map(MigrationScript::fileName).toList(),
                "a changed, b and c are as their latest rows say (whatever came before), d is new");
        assertEquals(
                List.of("1 APPLIED", "2 PENDING", "a OUTDATED", "b APPLIED", "c APPLIED", "d PENDING"),
                plan.infos().stream()
                        .map(info -> info.name() + " " + info.state())
                        .toList());
        assertEquals(List.of(), plan.problems(), "a changed repeatable script is not a problem");
        assertEquals(Optional.of(v("1")), plan.currentVersion());
    }

    @Test
    void repeatableRowsWithoutAScriptAreMissing() {
        Plan plan = Plan.of(List.of(one), history(row(one), repeatableRow("views", "v1", 2)), false);

        assertEquals(
                List.of("1 APPLIED", "views MISSING_SCRIPT"),
                plan.infos().stream()
                        .map(info -> info.name() + " " + info.state())
                        .toList());
        assertEquals(1, plan.problems().size());
        assertEquals(Optional.empty(), plan.problems().get(0).version());
        assertEquals("R__views.sql", plan.problems().get(0).script());
    }
}

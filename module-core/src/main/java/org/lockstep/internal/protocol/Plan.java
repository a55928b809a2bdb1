package org.lockstep.internal.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.lockstep.AppliedMigration;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.ValidationProblem;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.script.MigrationScript;

/**
 * The migrations held against one read of the history: what is applied, what is pending, and
 * what is wrong. Pending is decided migration by migration (is this version in the
 * history?), never from a row count, so an upgrade that adds scripts to a migrated
 * database sees exactly the new ones.
 *
 * <p>An applied version above every script's is {@link MigrationState#FUTURE}: a newer
 * release applied it while this older one still runs (a rolling deploy). It is not a
 * problem unless the caller makes it one; an applied version without a script below the
 * highest script stays {@link MigrationState#MISSING_SCRIPT}.
 *
 * <p>A repeatable script is known by its description, and what counts is its latest row (the
 * highest rank): none is {@link MigrationState#PENDING}, one with the script's checksum is
 * {@link MigrationState#APPLIED}, one with another is {@link MigrationState#OUTDATED}; both of
 * the last two apply again. A description with rows and no script is
 * {@link MigrationState#MISSING_SCRIPT}, a problem. Repeatable scripts come after every
 * versioned migration, in description order, in every list.
 *
 * @param infos every known migration with its state: versions in order, then repeatable
 *     descriptions in order
 * @param pending the migrations to apply: versioned ones in version order, then repeatable
 *     ones (new or changed) in description order; an out-of-order script is never pending
 *     unless out-of-order is allowed, even when validation is off
 * @param problems what validation found, versions in order then repeatable descriptions,
 *     future versions not included
 * @param skipped the scripts that are not applied and will not be, because a higher version
 *     is applied and out-of-order is not allowed, in version order
 * @param future the applied versions above every script's, in version order
 * @param applied the history rows of versioned migrations, by version
 * @param repeatables the latest history row of each repeatable description, by description
 */
public record Plan(
        List<MigrationInfo> infos,
        List<MigrationScript> pending,
        List<ValidationProblem> problems,
        List<MigrationInfo> skipped,
        List<MigrationInfo> future,
        Map<MigrationVersion, HistoryRow> applied,
        Map<String, HistoryRow> repeatables) {

    /** Problems and infos: versions in order, then repeatable migrations (no version) by description. */
    private static final Comparator<ValidationProblem> PROBLEM_ORDER = Comparator.comparing(
            (ValidationProblem problem) -> problem.version().orElse(null),
            Comparator.nullsLast(Comparator.naturalOrder()));

    /**
     * Compares migrations with a history.
     *
     * @param scripts the migrations, in {@link MigrationScript#ORDER}
     * @param history the history
     * @param outOfOrder whether a pending version below the highest applied one may be applied
     * @return the plan
     */
    public static Plan of(List<MigrationScript> scripts, HistorySnapshot history, boolean outOfOrder) {
        Map<MigrationVersion, HistoryRow> applied = new HashMap<>();
        Map<String, HistoryRow> latest = new HashMap<>();
        for (HistoryRow row : history.rows()) {
            if (row.repeatable()) {
                latest.merge(row.description(), row, (a, b) -> a.rank() >= b.rank() ? a : b);
            } else {
                applied.put(row.version(), row);
            }
        }
        Map<MigrationVersion, MigrationScript> byVersion = new HashMap<>();
        List<MigrationScript> repeatableScripts = new ArrayList<>();
        for (MigrationScript script : scripts) {
            if (script.repeatable()) {
                repeatableScripts.add(script);
            } else {
                byVersion.put(script.version(), script);
            }
        }
        Optional<MigrationVersion> highestApplied = applied.keySet().stream().max(Comparator.naturalOrder());
        Optional<MigrationVersion> highestScript = byVersion.keySet().stream().max(Comparator.naturalOrder());
        TreeSet<MigrationVersion> versions = new TreeSet<>(applied.keySet());
        versions.addAll(byVersion.keySet());

        List<MigrationInfo> infos = new ArrayList<>(versions.size());
        List<MigrationScript> pending = new ArrayList<>();
        List<ValidationProblem> problems = new ArrayList<>();
        List<MigrationInfo> skipped = new ArrayList<>();
        List<MigrationInfo> future = new ArrayList<>();
        for (MigrationVersion version : versions) {
            HistoryRow row = applied.get(version);
            MigrationScript script = byVersion.get(version);
            MigrationState state;
            if (row == null) {
                boolean late = highestApplied.isPresent() && version.compareTo(highestApplied.get()) < 0;
                if (late && !outOfOrder) {
                    state = MigrationState.OUT_OF_ORDER;
                    problems.add(new ValidationProblem(
                            state,
                            Optional.of(version),
                            script.fileName(),
                            "Migration [" + version
                                    + "] in [" + script.fileName() + "] is pending but a higher version ["
                                    + highestApplied.get()
                                    + "] is already applied (out of order)"));
                } else {
                    state = MigrationState.PENDING;
                    pending.add(script);
                }
                MigrationInfo info = new MigrationInfo(
                        Optional.of(version), script.description(), script.fileName(), state, Optional.empty());
                infos.add(info);
                if (state == MigrationState.OUT_OF_ORDER) {
                    skipped.add(info);
                }
                continue;
            }
            if (script == null && (highestScript.isEmpty() || version.compareTo(highestScript.get()) > 0)) {
                state = MigrationState.FUTURE;
            } else if (script == null) {
                state = MigrationState.MISSING_SCRIPT;
                problems.add(new ValidationProblem(
                        state,
                        Optional.of(version),
                        row.script(),
                        "Migration [" + version + "] was applied from [" + row.script()
                                + "] but no migration with that version exists"));
            } else if (!script.checksum().equals(row.checksum())) {
                state = MigrationState.CHECKSUM_MISMATCH;
                String what = script.fileName().equals(row.script())
                        ? "was edited after it was applied"
                        : "is not the migration that was applied, [" + row.script() + "]";
                problems.add(new ValidationProblem(
                        state,
                        Optional.of(version),
                        script.fileName(),
                        "Migration [" + version
                                + "] in [" + script.fileName() + "] " + what + " (checksum [" + script.checksum()
                                + "] differs from applied [" + row.checksum() + "])"));
            } else {
                state = MigrationState.APPLIED;
            }
            String description = script != null ? script.description() : row.description();
            String file = script != null ? script.fileName() : row.script();
            MigrationInfo info =
                    new MigrationInfo(Optional.of(version), description, file, state, Optional.of(row.toApplied()));
            infos.add(info);
            if (state == MigrationState.FUTURE) {
                future.add(info);
            }
        }
        repeatables(repeatableScripts, latest, infos, pending, problems);
        return new Plan(
                List.copyOf(infos),
                List.copyOf(pending),
                List.copyOf(problems),
                List.copyOf(skipped),
                List.copyOf(future),
                Map.copyOf(applied),
                Map.copyOf(latest));
    }

    /** Adds the repeatable migrations, by description: after every versioned one. */
    private static void repeatables(
            List<MigrationScript> scripts,
            Map<String, HistoryRow> latest,
            List<MigrationInfo> infos,
            List<MigrationScript> pending,
            List<ValidationProblem> problems) {
        Map<String, MigrationScript> byDescription = new HashMap<>();
        for (MigrationScript script : scripts) {
            byDescription.put(script.description(), script);
        }
        TreeSet<String> descriptions = new TreeSet<>(latest.keySet());
        descriptions.addAll(byDescription.keySet());
        for (String description : descriptions) {
            MigrationScript script = byDescription.get(description);
            HistoryRow row = latest.get(description);
            Optional<AppliedMigration> last = Optional.ofNullable(row).map(HistoryRow::toApplied);
            MigrationState state;
            if (script == null) {
                state = MigrationState.MISSING_SCRIPT;
                problems.add(new ValidationProblem(
                        state,
                        Optional.empty(),
                        row.script(),
                        "Repeatable migration [" + description + "] was applied from [" + row.script()
                                + "] but no repeatable script of that description exists"));
            } else if (row == null) {
                state = MigrationState.PENDING;
                pending.add(script);
            } else if (!script.checksum().equals(row.checksum())) {
                state = MigrationState.OUTDATED;
                pending.add(script);
            } else {
                state = MigrationState.APPLIED;
            }
            infos.add(new MigrationInfo(
                    Optional.empty(), description, script != null ? script.fileName() : row.script(), state, last));
        }
    }
    /**
     * Returns what validation finds: {@link #problems()}, and each future version as a problem
     * too if {@code failOnFuture}.
     *
     * @param failOnFuture whether an applied version above every script's is a problem
     * @return the problems, in version order
     */
    public List<ValidationProblem> problems(boolean failOnFuture) {
        if (!failOnFuture || future.isEmpty()) {
            return problems;
        }
        List<ValidationProblem> all = new ArrayList<>(problems);
        for (MigrationInfo info : future) {
            all.add(new ValidationProblem(
                    MigrationState.FUTURE,
                    info.version(),
                    info.script(),
                    "Migration ["
                            + info.name() + "] was applied from [" + info.script()
                            + "], a version above every script"
                            + " here (a newer release applied it), and future versions are not allowed"));
        }
        all.sort(PROBLEM_ORDER);
        return List.copyOf(all);
    }

    /** Returns the highest applied version, if any. */
    public Optional<MigrationVersion> currentVersion() {
        return applied.keySet().stream().max(Comparator.naturalOrder());
    }
}

package org.lockstep.internal.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.ValidationProblem;
import org.lockstep.internal.script.MigrationScript;

/**
 * The scripts held against one read of the history: what is applied, what is pending, and
 * what is wrong. Pending is decided migration by migration (is this version in the
 * history?), never from a row count, so an upgrade that adds scripts to a migrated
 * database sees exactly the new ones.
 *
 * @param infos every known version with its state, in version order
 * @param pending the scripts to apply, in version order; an out-of-order script is never
 *     pending unless out-of-order is allowed, even when validation is off
 * @param problems what validation found, in version order
 * @param applied the history rows by version
 */
public record Plan(
        List<MigrationInfo> infos,
        List<MigrationScript> pending,
        List<ValidationProblem> problems,
        Map<MigrationVersion, HistoryRow> applied) {

    /**
     * Compares scripts with a history.
     *
     * @param scripts the scripts, in version order
     * @param history the history
     * @param outOfOrder whether a pending version below the highest applied one may be applied
     * @return the plan
     */
    public static Plan of(List<MigrationScript> scripts, HistorySnapshot history, boolean outOfOrder) {
        Map<MigrationVersion, HistoryRow> applied = new HashMap<>();
        for (HistoryRow row : history.rows()) {
            applied.put(row.version(), row);
        }
        Map<MigrationVersion, MigrationScript> byVersion = new HashMap<>();
        for (MigrationScript script : scripts) {
            byVersion.put(script.version(), script);
        }
        Optional<MigrationVersion> highestApplied = applied.keySet().stream().max(Comparator.naturalOrder());
        TreeSet<MigrationVersion> versions = new TreeSet<>(applied.keySet());
        versions.addAll(byVersion.keySet());

        List<MigrationInfo> infos = new ArrayList<>(versions.size());
        List<MigrationScript> pending = new ArrayList<>();
        List<ValidationProblem> problems = new ArrayList<>();
        for (MigrationVersion version : versions) {
            HistoryRow row = applied.get(version);
            MigrationScript script = byVersion.get(version);
            MigrationState state;
            if (row == null) {
                boolean late = highestApplied.isPresent() && version.compareTo(highestApplied.get()) < 0;
                if (late && !outOfOrder) {
                    state = MigrationState.OUT_OF_ORDER;
                    problems.add(new ValidationProblem(state, version, script.fileName(), "Migration [" + version
                            + "] in [" + script.fileName() + "] is pending but a higher version [" + highestApplied.get()
                            + "] is already applied (out of order)"));
                } else {
                    state = MigrationState.PENDING;
                    pending.add(script);
                }
                infos.add(new MigrationInfo(version, script.description(), script.fileName(), state, Optional.empty()));
                continue;
            }
            if (script == null) {
                state = MigrationState.MISSING_SCRIPT;
                problems.add(new ValidationProblem(state, version, row.script(), "Migration [" + version
                        + "] was applied from [" + row.script() + "] but no script with that version exists"));
            } else if (!script.checksum().equals(row.checksum())) {
                state = MigrationState.CHECKSUM_MISMATCH;
                problems.add(new ValidationProblem(state, version, script.fileName(), "Migration [" + version
                        + "] in [" + script.fileName() + "] was edited after it was applied (checksum ["
                        + script.checksum() + "] differs from applied [" + row.checksum() + "])"));
            } else {
                state = MigrationState.APPLIED;
            }
            String description = script != null ? script.description() : row.description();
            String file = script != null ? script.fileName() : row.script();
            infos.add(new MigrationInfo(version, description, file, state, Optional.of(row.toApplied())));
        }
        return new Plan(List.copyOf(infos), List.copyOf(pending), List.copyOf(problems), Map.copyOf(applied));
    }

    /** Returns the highest applied version, if any. */
    public Optional<MigrationVersion> currentVersion() {
        return applied.keySet().stream().max(Comparator.naturalOrder());
    }
}

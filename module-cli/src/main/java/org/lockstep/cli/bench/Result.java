package org.lockstep.cli.bench;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of the report: a measured figure, or a section that was skipped or failed.
 *
 * @param section the section number, 1 to 7, as in the issue that asked for the benchmark
 * @param measure what was measured
 * @param unit the unit of every statistic of the row ({@code ms}, {@code MiB}, {@code x} for ratios)
 * @param summary the statistics; empty for a skipped or failed section
 * @param tail whether the percentiles mean something (many samples of one quantity)
 * @param target what the figure should stay under; empty if the issue sets none
 * @param note how to read the figure, what was checked, or why it is missing
 */
record Result(
        int section,
        String measure,
        String unit,
        Optional<Summary> summary,
        boolean tail,
        Optional<Target> target,
        String note) {

    /** Checks that no component is null. */
    Result {
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(note, "note");
    }

    /** A figure without a target. */
    static Result of(int section, String measure, String unit, Summary summary, boolean tail, String note) {
        return new Result(section, measure, unit, Optional.of(summary), tail, Optional.empty(), note);
    }

    /** A figure with a target. */
    static Result of(
            int section, String measure, String unit, Summary summary, boolean tail, Target target, String note) {
        return new Result(section, measure, unit, Optional.of(summary), tail, Optional.of(target), note);
    }

    /** A row that says why a section has no figures. */
    static Result missing(int section, String measure, String note) {
        return new Result(section, measure, "", Optional.empty(), false, Optional.empty(), note);
    }

    /** Returns whether the target is met; empty if there is no target or no figure. */
    Optional<Boolean> met() {
        return summary.flatMap(s -> target.map(t -> t.metBy(s)));
    }

    /** Returns by how much the target was missed; empty if it was met or there is none. */
    String shortfall() {
        return summary.flatMap(s -> target.map(t -> t.shortfall(s, unit))).orElse("");
    }
}

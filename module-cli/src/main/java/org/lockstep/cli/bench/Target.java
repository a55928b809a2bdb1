package org.lockstep.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a figure should stay under: one or more limits, each on one statistic.
 *
 * @param limits the limits, all of which must hold
 * @param label how to describe the target; blank to describe the limits
 */
record Target(List<Limit> limits, String label) {

    /** A statistic of a {@link Summary} a limit applies to. */
    enum Statistic {
        MEDIAN("median"),
        P95("p95"),
        P99("p99"),
        MAX("max");

        private final String label;

        Statistic(String label) {
            this.label = label;
        }

        double of(Summary summary) {
            switch (this) {
                case MEDIAN:
                    return summary.median();
                case P95:
                    return summary.p95();
                case P99:
                    return summary.p99();
                default:
                    return summary.max();
            }
        }
    }

    /**
     * One limit: the statistic must be strictly below the bound.
     *
     * @param statistic which statistic
     * @param below the bound, in the figure's unit
     */
    record Limit(Statistic statistic, double below) {}

    /** Copies the limits. */
    Target {
        limits = List.copyOf(limits);
    }

    /** Returns the target "median below {@code bound}". */
    static Target medianBelow(double bound) {
        return new Target(List.of(new Limit(Statistic.MEDIAN, bound)), "");
    }

    /** Returns the target "median below {@code median} and p99 below {@code p99}". */
    static Target medianAndP99Below(double median, double p99) {
        return new Target(List.of(new Limit(Statistic.MEDIAN, median), new Limit(Statistic.P99, p99)), "");
    }

    /** Returns the target "every sample is zero" (a count of failures), described by {@code label}. */
    static Target none(String label) {
        return new Target(List.of(new Limit(Statistic.MAX, 0.5)), label);
    }

    /** Returns true if every limit holds for the summary. */
    boolean metBy(Summary summary) {
        return limits.stream().allMatch(limit -> limit.statistic().of(summary) < limit.below());
    }

    /** Returns the target as text, such as {@code median < 2 ms, p99 < 10 ms}. */
    String describe(String unit) {
        if (!label.isBlank()) {
            return label;
        }
        List<String> parts = new ArrayList<>();
        for (Limit limit : limits) {
            parts.add(limit.statistic().label + " < " + Figures.format(limit.below()) + unit(unit));
        }
        return String.join(", ", parts);
    }

    /** Returns, for each limit that does not hold, by how much it was missed; empty if met. */
    String shortfall(Summary summary, String unit) {
        if (!label.isBlank()) {
            return metBy(summary) ? "" : "missed: " + label;
        }
        List<String> parts = new ArrayList<>();
        for (Limit limit : limits) {
            double value = limit.statistic().of(summary);
            if (value >= limit.below()) {
                parts.add(String.format(
                        Locale.ROOT,
                        "%s %s%s is %s%s over the %s%s limit (%+.0f%%)",
                        limit.statistic().label,
                        Figures.format(value),
                        unit(unit),
                        Figures.format(value - limit.below()),
                        unit(unit),
                        Figures.format(limit.below()),
                        unit(unit),
                        100 * (value - limit.below()) / limit.below()));
            }
        }
        return String.join("; ", parts);
    }

    private static String unit(String unit) {
        return unit.equals("x") ? "" : " " + unit;
    }
}

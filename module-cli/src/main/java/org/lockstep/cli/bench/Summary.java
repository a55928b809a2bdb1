package org.lockstep.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Order statistics of a list of samples: median, extremes and tail percentiles.
 *
 * @param samples the samples, in the order they were taken
 * @param median the median (the mean of the two middle samples when their number is even)
 * @param min the smallest sample
 * @param max the largest sample
 * @param p95 the 95th percentile, nearest-rank
 * @param p99 the 99th percentile, nearest-rank
 */
record Summary(List<Double> samples, double median, double min, double max, double p95, double p99) {

    /** Copies the samples. */
    Summary {
        samples = List.copyOf(samples);
    }

    /**
     * Summarises samples.
     *
     * @param samples at least one sample
     * @return the summary
     * @throws IllegalArgumentException if there are no samples
     */
    static Summary of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("No samples to summarise");
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Summary(samples, median, sorted.get(0), sorted.get(n - 1), rank(sorted, 95), rank(sorted, 99));
    }

    /** Returns how many samples there are. */
    int count() {
        return samples.size();
    }

    // Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it.
    private static double rank(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}

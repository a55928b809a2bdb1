package org.lockstep.cli.bench;

import java.util.Locale;

/** Number formatting shared by the table and the notes: three significant digits or so. */
final class Figures {
    private Figures() {}

    /**
     * Formats a figure for people: no decimals from 100 up or for a whole number, one from 10,
     * two below.
     *
     * @param value the figure
     * @return the text; {@code -} for NaN
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 || value == Math.rint(value) ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** Returns nanoseconds as milliseconds. */
    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** Returns bytes as mebibytes. */
    static double mebibytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}

package org.lockstep.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as the options take them: {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601 {@code PT2S}. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    static Duration parse(String option, String text) throws UsageException {
        Matcher matcher = SHORT.matcher(text.strip());
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                switch (matcher.group(2)) {
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "s":
                        return Duration.ofSeconds(amount);
                    case "m":
                        return Duration.ofMinutes(amount);
                    default:
                        return Duration.ofHours(amount);
                }
            }
            Duration parsed = Duration.parse(text.strip());
            if (parsed.isNegative()) {
                throw new UsageException("Option [" + option + "] must not be negative: [" + text + "]");
            }
            return parsed;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new UsageException(
                    "Option [" + option + "] takes a duration such as 500ms, 2s, 1m or PT2S, not [" + text + "]");
        }
    }
}

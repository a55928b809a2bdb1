package org.lockstep.internal.adopt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.lockstep.DatabaseException;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/**
 * Reads the values of another tool's table whatever type its database's driver gives them:
 * SQLite keeps a boolean as 0 or 1 and a timestamp as text, PostgreSQL as {@code boolean} and
 * {@code timestamp}.
 */
final class ForeignValues {
    // SQLite's datetime('now') and CURRENT_TIMESTAMP, Flyway's strftime('%Y-%m-%d %H:%M:%f'),
    // and ISO-8601 with T, fractions and an optional zone.
    private static final Pattern TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}(:?\\d{2})?)?");

    private final ForeignTable table;
    private final String database;

    ForeignValues(ForeignTable table, String database) {
        this.table = table;
        this.database = database;
    }

    /** Returns the text of a value, or empty for null. */
    static Optional<String> text(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof byte[] bytes) {
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
        return Optional.of(value.toString());
    }

    /** Returns a whole number, or empty for null or what is not one. */
    static Optional<Long> whole(Object value) {
        if (value instanceof Number number) {
            return Optional.of(number.longValue());
        }
        if (value instanceof Boolean bool) {
            return Optional.of(bool ? 1L : 0L);
        }
        try {
            return text(value).map(String::strip).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Returns a boolean: true, or a non-zero number, or the text {@code true}, {@code t} or a non-zero number. */
    static boolean truth(Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof Number number) {
            return number.longValue() != 0;
        }
        String text = text(value).map(t -> t.strip().toLowerCase(Locale.ROOT)).orElse("");
        return text.equals("true")
                || text.equals("t")
                || whole(text).map(n -> n != 0).orElse(false);
    }

    /** Returns the bytes of a value stored as bytes, or empty. */
    static Optional<byte[]> bytes(Object value) {
        return value instanceof byte[] bytes ? Optional.of(bytes) : Optional.empty();
    }

    /**
     * Returns the instant a timestamp stands for, a zone-less one taken in the table's zone;
     * empty for null or what cannot be read as one.
     */
    Optional<Instant> instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return Optional.of(offset.toInstant());
        }
        if (value instanceof LocalDateTime local) {
            return Optional.of(local.atZone(table.zone()).toInstant());
        }
        if (value instanceof java.util.Date date) {
            return Optional.of(date.toInstant());
        }
        Optional<String> text = text(value).map(String::strip);
        if (text.isEmpty() || !TIMESTAMP.matcher(text.get()).matches()) {
            return Optional.empty();
        }
        String iso = text.get().replace(' ', 'T');
        try {
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}(:?\\d{2})?$")) {
                String withColon = iso.matches(".*[+-]\\d{2}$")
                        ? iso + ":00"
                        : iso.matches(".*[+-]\\d{4}$")
                                ? iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2)
                                : iso;
                return Optional.of(OffsetDateTime.parse(withColon).toInstant());
            }
            return Optional.of(LocalDateTime.parse(iso).atZone(table.zone()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns a version the other tool wrote as Lockstep's version.
     *
     * @throws DatabaseException with {@code ADOPTION_REFUSED} if it is not one
     */
    MigrationVersion version(String written) {
        try {
            return MigrationVersion.parse(written.strip());
        } catch (IllegalArgumentException e) {
            throw refused("has version [" + written + "], which is not a version Lockstep can hold: " + e.getMessage());
        }
    }

    /** Returns the zone of zone-less timestamps. */
    ZoneId zone() {
        return table.zone();
    }

    /** A refusal that names the table and the database. */
    DatabaseException refused(String problem) {
        return new DatabaseException(
                DatabaseException.Reason.ADOPTION_REFUSED,
                "Adoption from [" + table.shownName() + "] in [" + database + "] refused: the table " + problem
                        + "; nothing was written",
                null);
    }

    /** A refusal because the tool records a migration that failed or did not finish. */
    DatabaseException blocked(String problem) {
        return new DatabaseException(
                DatabaseException.Reason.ADOPTION_BLOCKED,
                "Adoption from [" + table.shownName() + "] in [" + database + "] refused: " + problem
                        + "; nothing was written",
                null);
    }
}

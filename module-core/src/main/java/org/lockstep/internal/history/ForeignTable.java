package org.lockstep.internal.history;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table another migration tool keeps its history in, read whole, as the values its
 * database's driver gives: text, whole numbers, booleans, bytes, and timestamps
 * ({@link java.time.OffsetDateTime} where the database stores the zone,
 * {@link java.time.LocalDateTime} where it does not).
 *
 * @param name the name it was asked for
 * @param shownName its name as the database holds it, qualified where it has schemas
 * @param columns its columns' names in lower case, in order
 * @param rows its rows, each by lower-case column name (values may be null), in no particular order
 * @param zone the zone of a timestamp stored without one, as this connection writes the current
 *     time: UTC on SQLite (whose {@code CURRENT_TIMESTAMP} and {@code datetime('now')} are
 *     UTC), the session's {@code TimeZone} on PostgreSQL
 */
public record ForeignTable(
        String name, String shownName, List<String> columns, List<Map<String, Object>> rows, ZoneId zone) {

    /** Copies the lists; rows keep null values. */
    public ForeignTable {
        columns = List.copyOf(columns);
        rows = rows.stream()
                .map(row -> Collections.unmodifiableMap(new LinkedHashMap<>(row)))
                .toList();
    }
}

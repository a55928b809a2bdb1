package org.lockstep.internal.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.history.ForeignTable;

/** The values of other tools' tables, as SQLite and PostgreSQL drivers give them. */
final class ForeignValuesTest {
    private static ForeignValues in(ZoneId zone) {
        return new ForeignValues(new ForeignTable("t", "t", List.of(), List.of(Map.of()), zone), "db");
    }

    @Test
    void timestampsAsEachToolStoresThem() {
        ForeignValues utc = in(ZoneOffset.UTC);
        Instant expected = Instant.parse("2024-03-01T10:20:30Z");

        assertEquals(Optional.of(expected), utc.instant("2024-03-01 10:20:30")); // datetime('now')
        assertEquals(Optional.of(expected.plusMillis(123)), utc.instant("2024-03-01 10:20:30.123")); // Flyway
        assertEquals(Optional.of(expected), utc.instant("2024-03-01T12:20:30+02:00"));
        assertEquals(Optional.of(expected), utc.instant("2024-03-01 12:20:30+0200"));
        assertEquals(Optional.of(expected), utc.instant("2024-03-01T10:20:30Z"));
        assertEquals(
                Optional.of(expected),
                in(ZoneId.of("Europe/Paris")).instant(LocalDateTime.parse("2024-03-01T11:20:30")));
        assertEquals(Optional.empty(), utc.instant("yesterday"));
        assertEquals(Optional.empty(), utc.instant(null));
    }

    @Test
    void booleansAndNumbersWhateverTheDriverGives() {
        assertTrue(ForeignValues.truth(1));
        assertTrue(ForeignValues.truth(Boolean.TRUE));
        assertTrue(ForeignValues.truth("t"));
        assertFalse(ForeignValues.truth(0));
        assertFalse(ForeignValues.truth(null));
        assertFalse(ForeignValues.truth("false"));
        assertEquals(Optional.of(20240101000000L), ForeignValues.whole("20240101000000"));
        assertEquals(Optional.of(7L), ForeignValues.whole(7));
        assertEquals(Optional.empty(), ForeignValues.whole("x"));
    }
}

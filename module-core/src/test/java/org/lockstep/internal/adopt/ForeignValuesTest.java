package org.lockstep.internal.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.DatabaseException;
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

    @Test
    void valuesAsAPostgresqlDriverGivesThem() {
        ForeignValues utc = in(ZoneOffset.UTC);
        Instant expected = Instant.parse("2024-03-01T10:20:30Z");

        assertEquals(Optional.of(expected), utc.instant(java.time.OffsetDateTime.parse("2024-03-01T12:20:30+02:00")));
        assertEquals(Optional.of(expected), utc.instant(java.sql.Timestamp.from(expected)));
        assertEquals(Optional.of("V1__a.sql"), ForeignValues.text("V1__a.sql".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of(1L), ForeignValues.whole(Boolean.TRUE));
        assertEquals(Optional.of(0L), ForeignValues.whole(Boolean.FALSE));
        assertFalse(ForeignValues.truth(Boolean.FALSE));
        assertTrue(ForeignValues.truth(2L));
    }

    @Test
    void textThatOnlyLooksLikeAValueIsRead() {
        ForeignValues utc = in(ZoneOffset.UTC);

        assertEquals(Optional.of(Instant.parse("2024-03-01T10:20:30Z")), utc.instant(" 2024-03-01 12:20:30+02 "));
        assertEquals(Optional.empty(), utc.instant("2024-13-01 10:20:30"), "a month that does not exist");
        assertTrue(ForeignValues.truth(" TRUE "));
        assertTrue(ForeignValues.truth("2"));
        assertFalse(ForeignValues.truth("0"));
        assertFalse(ForeignValues.truth("yes"));
        assertEquals(Optional.of(12L), ForeignValues.whole(" 12 "));
    }

    @Test
    void aVersionLockstepCannotHoldRefusesTheAdoptionNamingTheTable() {
        ForeignValues values = new ForeignValues(
                new ForeignTable(
                        "goose_db_version", "main.goose_db_version", List.of(), List.of(Map.of()), ZoneOffset.UTC),
                "app.db");

        assertEquals(ZoneOffset.UTC, values.zone());
        DatabaseException refused = assertThrows(DatabaseException.class, () -> values.version("v1.x"));
        assertEquals(DatabaseException.Reason.ADOPTION_REFUSED, refused.reason());
        assertTrue(
                refused.getMessage()
                        .startsWith("Adoption from [main.goose_db_version] in [app.db] refused: the table has version"
                                + " [v1.x], which is not a version Lockstep can hold"),
                refused.getMessage());
    }
}

package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The history's timestamps are read by hand in the form Lockstep writes, and as Instant.parse reads the rest. */
final class SqliteInstantTest {

    @Test
    void everyInstantReadsBackAsInstantParseReadsIt() {
        Long fixed = Long.getLong("lockstep.seed"); // -Dlockstep.seed=N replays a failure
        long seed = fixed != null ? fixed : System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            // 0001-01-01 to 9999-12-31, with 0, 3, 6 or 9 digits of fraction as Instant.toString writes them.
            long second = random.nextLong(-62_135_596_800L, 253_402_300_800L);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(second, nanos).toString();
            assertEquals(
                    Instant.parse(text),
                    SqliteSession.instant(text),
                    text + " (replay with -Dlockstep.seed=" + seed + ")");
        }
    }

    @Test
    void otherFormsAreReadOrRefusedAsInstantParseDoes() {
        for (String text : List.of(
                "2026-11-30T15:54:55Z",
                "2026-11-30T15:54:55.1Z",
                "2026-11-30T15:54:55.12345Z",
                "2026-11-30T15:54:55.Z",
                "2024-02-29T00:00:00Z",
                "2026-11-30T15:54:55+01:00",
                "+12026-11-30T15:54:55Z",
                "2026-12-31T23:59:60Z",
                "2026-11-30T24:00:00Z",
                "2026-11-30 15:54:55Z",
                "2026-02-29T00:00:00Z",
                "1900-02-29T00:00:00Z", // a century is not a leap year,
                "2100-02-29T00:00:00Z",
                "2000-02-29T00:00:00Z", // unless it is a fourth one
                "2026-13-01T00:00:00Z",
                "2026-11-31T00:00:00Z",
                "2026-11-30T15:60:00Z",
                "2026-11-30T15:54:5xZ",
                "2026-11-30T15:54:55.1234567890Z",
                "2026-11-30T15:54:55")) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException refused) {
                assertThrows(DateTimeParseException.class, () -> SqliteSession.instant(text), text);
                continue;
            }
            assertEquals(expected, SqliteSession.instant(text), text);
        }
    }
}

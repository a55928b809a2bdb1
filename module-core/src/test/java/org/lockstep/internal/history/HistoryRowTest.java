package org.lockstep.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lockstep.MigrationVersion;

/** A history row's version and type agree: only a repeatable row has none. */
final class HistoryRowTest {
    private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    private static HistoryRow row(MigrationVersion version, HistoryRow.Type type) {
        return new HistoryRow(version, "d", "s.sql", "c", AT, "me", 1, type, 1);
    }

    @Test
    void aVersionedRowWithoutAVersionIsRefused() {
        for (HistoryRow.Type type : new HistoryRow.Type[] {HistoryRow.Type.SQL, HistoryRow.Type.JAVA}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> row(null, type));
            assertEquals("A " + type + " row needs a version", e.getMessage());
        }
    }

    @Test
    void aRepeatableRowWithAVersionIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> row(MigrationVersion.parse("1"), HistoryRow.Type.REPEATABLE));
        assertEquals("A REPEATABLE row has no version", e.getMessage());
    }

    @Test
    void versionAndTypeThatAgreeMakeARow() {
        assertEquals(
                HistoryRow.Type.REPEATABLE,
                row(null, HistoryRow.Type.REPEATABLE).type());
        assertEquals(
                MigrationVersion.parse("2"),
                row(MigrationVersion.parse("2"), HistoryRow.Type.JAVA).version());
    }
}

package org.lockstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class MigrationVersionTest {

    @Test
    void leadingZerosDoNotCount() {
        MigrationVersion padded = MigrationVersion.parse("001");
        MigrationVersion plain = MigrationVersion.parse("1");
        assertEquals(plain, padded);
        assertEquals(plain.hashCode(), padded.hashCode());
        assertEquals(0, padded.compareTo(plain));
    }

    @Test
    void partsCompareNumerically() {
        assertTrue(MigrationVersion.parse("1.10").compareTo(MigrationVersion.parse("1.9")) > 0);
        assertTrue(MigrationVersion.parse("1.9").compareTo(MigrationVersion.parse("1.10")) < 0);
        assertTrue(MigrationVersion.parse("10").compareTo(MigrationVersion.parse("9")) > 0);
        assertTrue(MigrationVersion.parse("2").compareTo(MigrationVersion.parse("1.99")) > 0);
        assertTrue(MigrationVersion.parse("1.0.1").compareTo(MigrationVersion.parse("1")) > 0);
        assertNotEquals(MigrationVersion.parse("1.1"), MigrationVersion.parse("11"));
    }

    @Test
    void trailingZeroPartsDoNotCount() {
        assertEquals(MigrationVersion.parse("1"), MigrationVersion.parse("1.0"));
        assertEquals(MigrationVersion.parse("1"), MigrationVersion.parse("1.0.00"));
        assertEquals(
                MigrationVersion.parse("1").hashCode(),
                MigrationVersion.parse("1.0").hashCode());
        assertEquals(MigrationVersion.parse("0"), MigrationVersion.parse("0.0"));
        assertEquals(0, MigrationVersion.parse("1.0").compareTo(MigrationVersion.parse("1")));
    }

    @Test
    void sortingOrdersNumerically() {
        List<MigrationVersion> versions = new ArrayList<>();
        for (String text : List.of("10", "1.10", "2", "1.9", "001", "1.1")) {
            versions.add(MigrationVersion.parse(text));
        }
        versions.sort(null);
        assertEquals(
                List.of("001", "1.1", "1.9", "1.10", "2", "10"),
                versions.stream().map(MigrationVersion::toString).toList());
    }

    @Test
    void toStringKeepsTheWrittenText() {
        assertEquals("001", MigrationVersion.parse("001").toString());
        assertEquals("1.0", MigrationVersion.parse("1.0").toString());
        assertEquals("1.10", MigrationVersion.parse("1.10").toString());
    }

    @Test
    void aLeadingVAsInScriptNamesIsAccepted() {
        assertEquals(MigrationVersion.parse("2"), MigrationVersion.parse("V2"));
        assertEquals("1.1", MigrationVersion.parse("V1.1").toString());
    }

    @Test
    void malformedTextIsRejected() {
        for (String text : List.of("", "a", "1.", ".1", "1..2", "-1", " 1", "1 ", "1a", "v1", "V", "VV1", "1_2", "١")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> MigrationVersion.parse(text), text);
            assertTrue(e.getMessage().contains("[" + text + "]"), e.getMessage());
        }
    }

    @Test
    void partTooLargeForLongIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MigrationVersion.parse("1.99999999999999999999"));
        assertTrue(e.getMessage().contains("[99999999999999999999]"), e.getMessage());
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> MigrationVersion.parse(null));
    }
}

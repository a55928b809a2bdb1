package org.lockstep.internal.adopt;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Flyway's checksum of a versioned SQL migration: a CRC32, as a signed 32-bit int, over the
 * script's lines as {@code java.io.BufferedReader.readLine} reads them (without their
 * {@code \n}, {@code \r\n} or {@code \r}), each line's UTF-8 bytes after removing a byte-order
 * mark at its start ({@code ChecksumCalculator.calculateChecksumForResource} and
 * {@code BomFilter} in flyway-core). Line endings therefore do not change it; every other
 * character does. Placeholders are not replaced first: Flyway does that only for repeatable
 * migrations' checksums.
 */
final class FlywayChecksum {
    private FlywayChecksum() {}

    /**
     * Returns Flyway's checksum of a script's text.
     *
     * @param text the script's text, decoded as UTF-8
     * @return the checksum Flyway records
     */
    static int of(String text) {
        CRC32 crc = new CRC32();
        int i = 0;
        while (i < text.length()) {
            int end = i;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            int from = end > i && text.charAt(i) == '\uFEFF' ? i + 1 : i;
            crc.update(text.substring(from, end).getBytes(StandardCharsets.UTF_8));
            // readLine ends a line at \n, \r or \r\n
            i = end < text.length()
                            && text.charAt(end) == '\r'
                            && end + 1 < text.length()
                            && text.charAt(end + 1) == '\n'
                    ? end + 2
                    : end + 1;
        }
        return (int) crc.getValue();
    }
}
